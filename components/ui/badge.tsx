/** A short status word on a coloured ground; `tone`: its Tailwind background and text colours. */
export function Badge({ tone, children }: { tone: string; children: React.ReactNode }) {
  return <span className={`inline-block whitespace-nowrap rounded px-1.5 py-0.5 text-xs font-medium ${tone}`}>{children}</span>;
}
