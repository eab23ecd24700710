"use client";
import { ErrorPanel } from "@/components/layout/error-panel";

/**
 * When a layout below the root failed (the management layout's sign-in check, the site header):
 * the page has no <main> of its own then, so this gives one.
 */
export default function LocaleError(props: React.ComponentProps<typeof ErrorPanel>) {
  return (
    <main id="main" className="px-4 py-12">
      <ErrorPanel {...props} />
    </main>
  );
}
