"use client";

/**
 * The last resort, when the root layout itself failed: no translations are loaded at this
 * point, so it speaks both languages. The page is French; each English part says so (lang="en")
 * so a screen reader pronounces it in English.
 */
export default function GlobalError({ error, retry }: { error: (Error & { digest?: string }) | null | undefined; retry: () => void }) {
  return (
    <html lang="fr">
      <body style={{ fontFamily: "system-ui, sans-serif", maxWidth: "36rem", margin: "4rem auto", padding: "0 1rem" }}>
        <main id="main">
          <div role="alert">
            <h1>
              Cette page n’a pas pu s’afficher · <span lang="en">This page could not be shown</span>
            </h1>
            <p>
              Réessayez dans un instant. · <span lang="en">Please try again in a moment.</span>
            </p>
            <button type="button" onClick={() => retry()}>
              Réessayer · <span lang="en">Try again</span>
            </button>
            {typeof error?.digest === "string" && (
              <p style={{ fontSize: "0.75rem", color: "#475569" }}>
                Référence · <span lang="en">Reference</span>: {error.digest}
              </p>
            )}
          </div>
        </main>
      </body>
    </html>
  );
}
