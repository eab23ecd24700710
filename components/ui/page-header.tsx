/**
 * A page's title and its actions. Titles often carry what someone typed (a template's name, a
 * group's label), possibly one long word: it wraps inside the page (min-w-0 lets the flex item
 * shrink below that word) instead of widening the page past the screen.
 */
export function PageHeader({ title, children }: { title: string; children?: React.ReactNode }) {
  return (
    <div className="mb-6 flex flex-wrap items-center justify-between gap-3">
      <h1 className="min-w-0 break-words text-2xl font-semibold text-slate-900">{title}</h1>
      {children && <div className="flex gap-2">{children}</div>}
    </div>
  );
}
