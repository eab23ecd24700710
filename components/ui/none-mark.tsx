/**
 * The dash of an empty cell, read out as `label` ("none"). Not an aria-label on the span: a span
 * has no role that may be named, so screen readers read its dash and drop the label (WCAG 4.1.2).
 */
export function NoneMark({ label }: { label: string }) {
  return (
    <>
      <span aria-hidden="true">—</span>
      <span className="sr-only">{label}</span>
    </>
  );
}
