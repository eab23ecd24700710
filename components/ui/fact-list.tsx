import { ZoneNote } from "./zone-note";

/**
 * Labelled values (a queue row's facts, a send's), each label small above its value. `dated`:
 * some are dates, and a note under the list says which zone they are in (see ZoneNote).
 */
export function FactList({ facts, className, dated = false }: { facts: [string, React.ReactNode][]; className: string; dated?: boolean }) {
  return (
    <>
      <dl className={`grid gap-3 text-sm ${className}`}>
        {facts.map(([label, value]) => (
          <div key={label} className="min-w-0">
            <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
            <dd className="mt-0.5 break-words">{value}</dd>
          </div>
        ))}
      </dl>
      {dated && <ZoneNote className="mt-3" />}
    </>
  );
}
