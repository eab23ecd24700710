import { createElement, type ComponentProps, type ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { NextIntlClientProvider } from "next-intl";
import { LocalDateTime } from "@/components/templates/local-time";
import { DataTable } from "@/components/ui/data-table";
import { FactList } from "@/components/ui/fact-list";
import { dateTimeInput, fromDateTimeInput } from "@/lib/time-zone";
import en from "@/messages/en.json";
import fr from "@/messages/fr.json";

/** Renders as a page of a site in `timeZone` does (lib/i18n/request.ts gives next-intl the site's zone). */
function render(node: ReactNode, timeZone = "Europe/Paris", locale: "en" | "fr" = "en") {
  type Props = ComponentProps<typeof NextIntlClientProvider>;
  const props: Omit<Props, "children"> = { locale, messages: { en, fr }[locale], timeZone };
  return renderToStaticMarkup(createElement(NextIntlClientProvider, props as Props, node));
}

describe("Manage names the zone of the dates it shows", () => {
  it("a dated table says it in its caption, a dated fact list under it", () => {
    const table = (dated: boolean) => createElement(DataTable, { caption: "Messages", columns: [{ label: "Queued" }], dated } as ComponentProps<typeof DataTable>, createElement("tr", null, createElement("td", null, "x")));
    expect(render(table(true))).toContain("Dates and times in the Europe/Paris time zone.");
    expect(render(table(true), "America/New_York", "fr")).toContain("Dates et heures dans le fuseau horaire America/New_York.");
    expect(render(table(false))).not.toContain("time zone");
    expect(render(createElement(FactList, { facts: [["Queued", "x"]], className: "", dated: true }))).toContain("Dates and times in the Europe/Paris time zone.");
  });

  it("LocalDateTime shows the site's zone, not the reader's", () => {
    // 12:16 UTC is 13:16 in Paris in November, as the queue shows it.
    const html = render(createElement(LocalDateTime, { value: "2026-11-27T12:16:00Z", style: "medium" }));
    expect(html).toContain("Nov 27, 2026, 1:16 PM");
    expect(html).toContain('dateTime="2026-11-27T12:16:00.000Z"');
  });

  it("names the month, so a day reads the same in English and French", () => {
    // The short style would give 3/4/26 in English and 04/03/2026 in French for the same day.
    const at = (locale: "en" | "fr") => render(createElement(LocalDateTime, { value: "2026-03-04T14:05:00Z" }), "Europe/Paris", locale);
    expect(at("en")).toContain("Mar 4, 2026, 3:05 PM");
    expect(at("fr")).toContain("4 mars 2026, 15:05");
  });
});

describe("the schedule input reads the site's wall clock", () => {
  it("round-trips, across a change of offset", () => {
    const paris = "Europe/Paris";
    expect(fromDateTimeInput("2026-11-27T13:16", paris).toISOString()).toBe("2026-11-27T12:16:00.000Z");
    expect(fromDateTimeInput("2026-07-01T13:16", paris).toISOString()).toBe("2026-07-01T11:16:00.000Z");
    expect(dateTimeInput(new Date("2026-11-27T12:16:00Z"), paris)).toBe("2026-11-27T13:16");
    expect(dateTimeInput(new Date("2026-10-25T00:30:00Z"), paris)).toBe("2026-10-25T02:30");
    expect(dateTimeInput(new Date("2026-01-01T23:05:00Z"), "UTC")).toBe("2026-01-01T23:05");
    expect(Number.isNaN(fromDateTimeInput("tomorrow", paris).getTime())).toBe(true);
  });
});
