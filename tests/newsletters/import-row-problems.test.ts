import { beforeAll, describe, expect, it } from "vitest";
import { createElement, type ComponentProps } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { NextIntlClientProvider } from "next-intl";
import type { Site, User } from "@/db/schema";
import { previewImportAction, runImportAction } from "@/app/[locale]/manage/subscriptions/[group]/import/actions";
import { ImportReportView, type Report } from "@/components/subscriptions/import-report";
import { csvLine } from "@/lib/csv";
import { createGroup } from "@/lib/newsletters/groups";
import fr from "@/messages/fr.json";
import { actAs } from "../helpers/request";
import { makeSite, makeUser } from "../helpers/factories";
import { expectSuccess, run } from "../helpers/actions";

// An import's row with several problems says them all: one that said only its address's came
// back refused for its number once the address was corrected in the refused rows' file.

let site: Site;
let admin: User;
let group: number;
const CSV = "email;mobile;langue\nbad@;12;klingon\ngood@example.org;0612349801;fr\nok@example.org;12;fr\n";

beforeAll(async () => {
  site = await makeSite({ domain: "import-problems.example.org", defaultCountry: "FR" });
  admin = await makeUser(site.id, "admin");
  group = await createGroup(site, { fr: "Lettre", en: "Letter" });
});

const input = () => ({ group: String(group), csv: CSV, status: "confirmed", locale: "fr" });

describe("a row with a bad address, a bad number and an unknown language", () => {
  it("is refused with its three problems, in the preview, the report and the refused rows' file", async () => {
    actAs(admin.id, site.domain);
    type Row = { line: number; problem: string | null; otherProblems: string[] };
    const preview = (expectSuccess(await run(previewImportAction, input())) as { data: { rows: Row[] } }).data;
    expect(preview.rows.map((r) => [r.line, r.problem, r.otherProblems])).toEqual([
      [2, "invalidEmail", ["invalidPhone", "invalidLanguage"]],
      [3, null, []],
      [4, "invalidPhone", []],
    ]);

    const report = (expectSuccess(await run(runImportAction, input())) as { data: Report }).data;
    expect(report.added).toBe(1);
    expect(report.refused.map((r) => [r.line, r.reason, r.otherProblems])).toEqual([
      [2, "invalidEmail", ["invalidPhone", "invalidLanguage"]],
      [4, "invalidPhone", []],
    ]);
    const p = fr.subscriptions.import.problem;
    const all = [p.invalidEmail, p.invalidPhone.replace("{phone}", "12"), p.invalidLanguage.replace("{language}", "klingon")].join(" · ");
    expect(`${report.csv!.split("\r\n")[1]}\r\n`).toBe(csvLine([2, "bad@", "", "12", "klingon", "", all], ";"));

    type Props = ComponentProps<typeof NextIntlClientProvider>;
    const html = renderToStaticMarkup(
      createElement(NextIntlClientProvider, { locale: "fr", messages: fr, timeZone: "Europe/Paris" } as Omit<Props, "children"> as Props, createElement(ImportReportView, { report, groupHref: "/g", onRestart: () => {} })),
    );
    expect(html).toContain(all);
  });
});
