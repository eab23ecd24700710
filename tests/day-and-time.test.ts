import { describe, expect, it } from "vitest";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { DayAndTime } from "@/components/ui/day-and-time";

/** The pieces a line may not break inside, in order, from the rendered markup. */
function unbreakable(text: string, day: string) {
  const html = renderToStaticMarkup(createElement(DayAndTime, { text, day }));
  return [...html.matchAll(/<span class="whitespace-nowrap">(.*?)<\/span>/g)].map((m) => m[1]);
}

describe("a table's date wraps between its day and its time, never inside either", () => {
  it("splits what Intl gives in French and in English, the separator's comma staying with the day", () => {
    const at = new Date("2026-11-28T06:09:00Z");
    for (const locale of ["fr", "en"]) {
      const text = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/Paris" }).format(at);
      const day = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "Europe/Paris" }).format(at);
      const time = new Intl.DateTimeFormat(locale, { timeStyle: "short", timeZone: "Europe/Paris" }).format(at);
      const [first, second] = unbreakable(text, day);
      expect(first.startsWith(day)).toBe(true);
      expect(second).toBe(time);
    }
    expect(unbreakable("28 nov. 2026, 07:09", "28 nov. 2026")).toEqual(["28 nov. 2026,", "07:09"]);
    expect(unbreakable("28 novembre 2026 à 07:09", "28 novembre 2026")).toEqual(["28 novembre 2026", "à 07:09"]);
  });

  it("keeps a moment whose time comes first whole, on one line", () => {
    expect(unbreakable("07:09, 28 nov. 2026", "28 nov. 2026")).toEqual(["07:09, 28 nov. 2026"]);
  });
});
