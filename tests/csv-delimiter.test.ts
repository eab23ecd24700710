import { createElement, type ComponentProps } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { beforeAll, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { NextIntlClientProvider } from "next-intl";
import { db } from "@/db/client";
import { subscriptions, type Site, type User } from "@/db/schema";
import { GET as exportSubscriptions } from "@/app/api/subscriptions/export/route";
import { ExportLinks } from "@/components/ui/filter-controls";
import { csvCell, csvExportHref } from "@/lib/csv";
import { createGroup } from "@/lib/newsletters/groups";
import { readImport } from "@/lib/newsletters/import/read";
import en from "@/messages/en.json";
import fr from "@/messages/fr.json";
import { actAs } from "./helpers/request";
import { makeSite, makeUser } from "./helpers/factories";

// French Excel takes a .csv's separator from the regional list separator, ";": a comma file opened
// every line in its first column. The French screens' export links ask for a French file
// (`csv=fr`), separated by semicolons; English ones for an English file (`csv=en`), with commas.

describe("a CSV cell", () => {
  it("is quoted for the file's own separator, and guarded after the other one", () => {
    expect(csvCell("Dupont; Jean", ";")).toBe('"Dupont; Jean"');
    expect(csvCell("Dupont, Jean", ";")).toBe("Dupont, Jean");
    expect(csvCell("Dupont, Jean", ",")).toBe('"Dupont, Jean"');
    // A comma reader splits "Bonjour,=1+1" at the comma: the formula is guarded there.
    expect(csvCell("Bonjour,=1+1", ";")).toBe("Bonjour,'=1+1");
    expect(csvCell("Bonjour;=1+1", ",")).toBe("Bonjour;'=1+1");
  });
});

describe("the export links", () => {
  const links = (locale: "en" | "fr") => {
    type Props = ComponentProps<typeof NextIntlClientProvider>;
    const props: Omit<Props, "children"> = { locale, messages: { en, fr }[locale] };
    return renderToStaticMarkup(createElement(NextIntlClientProvider, props as Props, createElement(ExportLinks, { all: { href: "/api/subscriptions/export?group=3", label: "All" } })));
  };

  it("ask for a file in the screen's language", () => {
    expect(links("fr")).toContain('href="/api/subscriptions/export?group=3&amp;csv=fr"');
    expect(links("en")).toContain('href="/api/subscriptions/export?group=3&amp;csv=en"');
    expect(csvExportHref("/api/queue/export", "fr")).toBe("/api/queue/export?csv=fr");
  });
});

describe("a group's export with semicolons", () => {
  let site: Site;
  let admin: User;
  let group: number;
  beforeAll(async () => {
    site = await makeSite();
    admin = await makeUser(site.id, "admin");
    group = await createGroup(site, { fr: "Lettre", en: "Letter" });
    await db.insert(subscriptions).values([
      { siteId: site.id, groupId: group, email: "jean@example.org", name: "Dupont; Jean", source: "screen", status: "confirmed" },
      { siteId: site.id, groupId: group, email: "ann@example.org", name: "Ann, Lee", source: "screen", status: "confirmed" },
    ]);
  });

  it("separates its columns with ';', and reads back as it was written", async () => {
    actAs(admin.id, site.domain);
    const res = await exportSubscriptions(new NextRequest(`http://localhost/api/subscriptions/export?group=${group}&csv=fr`));
    const text = await res.text();
    const [header] = text.replace(/^\uFEFF/, "").split("\r\n");
    expect(header.startsWith("Adresse e-mail;Nom;Statut;")).toBe(true);
    const { delimiter, rows } = readImport(text, "auto", "FR");
    expect(delimiter).toBe("semicolon");
    expect(rows.map((r) => [r.email, r.name]).sort()).toEqual([
      ["ann@example.org", "Ann, Lee"],
      ["jean@example.org", "Dupont; Jean"],
    ]);
    // Without the parameter (a script): commas and the stable names, as before; a link saved
    // when the French screens asked for `sep=semicolon` still gives semicolons.
    const plain = await (await exportSubscriptions(new NextRequest(`http://localhost/api/subscriptions/export?group=${group}`))).text();
    expect(plain.replace(/^\uFEFF/, "").startsWith("email,name,status,")).toBe(true);
    const saved = await (await exportSubscriptions(new NextRequest(`http://localhost/api/subscriptions/export?group=${group}&sep=semicolon`))).text();
    expect(saved.replace(/^\uFEFF/, "").startsWith("email;name;status;")).toBe(true);
  });
});
