"use client";

/**
 * The last resort, when the root layout itself failed: no translations are loaded at this
 * point, so it speaks both languages.
 */
export default function GlobalError({ error, retry }: { error: (Error & { digest?: string }) | null | undefined; retry: () => void }) {
  return (
    <html lang="fr">
      <body style={{ fontFamily: "system-ui, sans-serif", maxWidth: "36rem", margin: "4rem auto", padding: "0 1rem" }}>
        <main id="main">
          <div role="alert">
            <h1>Cette page n’a pas pu s’afficher · This page could not be shown</h1>
            <p>Réessayez dans un instant. · Please try again in a moment.</p>
            <button type="button" onClick={() => retry()}>Réessayer · Try again</button>
            {typeof error?.digest === "string" && <p style={{ fontSize: "0.75rem", color: "#475569" }}>Référence · Reference: {error.digest}</p>}
          </div>
        </main>
      </body>
    </html>
  );
}
