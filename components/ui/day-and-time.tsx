/** A moment formatted for reading, with and without its time (same date style). */
export type Moment = { text: string; day: string };

/**
 * A formatted moment ("Nov 28, 2026, 7:09 AM", "28 nov. 2026, 07:09") that may wrap between its
 * day and its time but never inside either: a narrow table column then shows two clean lines
 * instead of pushing the table past its box (one unbreakable line) or cutting "Nov / 28, 2026,".
 * `day` is the same moment formatted with the same date style and no time; when `text` does not
 * start with it (a locale putting the time first), the text is kept whole on one line.
 */
export function DayAndTime({ text, day }: Moment) {
  // What follows the day: its separator's last mark (",") stays with the day, the rest is the time.
  const rest = text.startsWith(day) ? /^(\S*)\s+(\S[\s\S]*)$/.exec(text.slice(day.length)) : null;
  if (!rest) return <span className="whitespace-nowrap">{text}</span>;
  return (
    <>
      <span className="whitespace-nowrap">{day + rest[1]}</span> <span className="whitespace-nowrap">{rest[2]}</span>
    </>
  );
}
