import { createElement, type ComponentProps, type ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import { NextIntlClientProvider } from "next-intl";
import { RecipientsFieldset } from "@/components/templates/recipients-fieldset";
import { DataTable } from "@/components/ui/data-table";
import { SubscriptionFilterForm } from "@/components/subscriptions/filter-form";
import { ImportPreviewView } from "@/components/subscriptions/import-preview";
import { AddClients } from "@/app/[locale]/manage/subscriptions/[group]/add-client";
import { BulkClient } from "@/app/[locale]/manage/subscriptions/[group]/bulk-client";
import { ImportClient } from "@/app/[locale]/manage/subscriptions/[group]/import/import-client";
import type { ImportPreview } from "@/lib/newsletters/import/preview";
import { PageNoticeProvider } from "@/components/ui/page-notice";
import { parsePastedSubscribers } from "@/lib/newsletters/phones";
import { phoneExamples } from "@/lib/sms/phone-examples";
import en from "@/messages/en.json";
import fr from "@/messages/fr.json";

// Wording and tables, as a French- or English-speaking administrator reads them in Manage.

// The page notice (BulkClient's) reads the page's path, from a router these renders have not.
vi.mock("next/navigation", async (original) => ({ ...(await original<typeof import("next/navigation")>()), usePathname: () => "/fr/manage", useSearchParams: () => new URLSearchParams() }));

function render(node: ReactNode, locale: "en" | "fr") {
  type Props = ComponentProps<typeof NextIntlClientProvider>;
  const props: Omit<Props, "children"> = { locale, messages: { en, fr }[locale], timeZone: "Europe/Paris" };
  return renderToStaticMarkup(createElement(NextIntlClientProvider, props as Props, node));
}

const recipients = (locale: "en" | "fr") =>
  render(
    createElement(RecipientsFieldset, {
      groups: [{ id: 1, label: "Lettre des adhérents" }],
      groupIds: [1],
      audienceLocale: "",
      siteLocale: "fr",
      pasted: "",
      maxPasted: 1000,
      onGroups: () => {},
      onAudienceLocale: () => {},
      onPasted: () => {},
    }),
    locale,
  );

describe("a language named inside a sentence is named in the reader's language", () => {
  // The language switcher's own names ("Français", "English") read "English seulement" on the
  // French screen and "Français only" on the English one.
  it("in French", () => {
    const html = recipients("fr");
    expect(html).toContain(">En anglais seulement<");
    expect(html).toContain(">En français seulement<");
    expect(html).toContain("lisent celle du site (français)");
    expect(html).not.toContain("English seulement");
  });

  it("in English", () => {
    const html = recipients("en");
    expect(html).toContain(">French only<");
    expect(html).toContain(">English only<");
    expect(html).toContain("read the site’s (French)");
    expect(html).not.toContain("Français only");
  });
});

describe("a table wider than a phone's screen", () => {
  it("scrolls in a region a keyboard can reach and a screen reader can name", () => {
    const html = render(createElement(DataTable, { caption: "Envois de ce modèle", columns: [{ label: "Objet" }] } as ComponentProps<typeof DataTable>, createElement("tr", null, createElement("td", null, "x"))), "fr");
    const wrapper = /^<div[^>]*>/.exec(html)![0];
    expect(wrapper).toContain('role="region"');
    expect(wrapper).toContain('aria-label="Envois de ce modèle"');
    expect(wrapper).toContain('tabindex="0"');
    expect(wrapper).toContain("overflow-x-auto");
  });
});

describe("Subscriptions » Paste addresses", () => {
  it("keeps a quoted name as written, its comma included", () => {
    expect(parsePastedSubscribers('"Martin, Claire" <claire.martin@exemple.fr> 06 98 76 54 32', "FR").entries).toEqual([
      { email: "claire.martin@exemple.fr", name: "Martin, Claire", phone: "+33698765432" },
    ]);
    expect(parsePastedSubscribers('"Eve \\"E\\" Line" <eve@example.org>', "FR").entries[0]?.name).toBe('Eve "E" Line');
    // Unquoted names are read as before.
    expect(parsePastedSubscribers("Paul Durand <paul.durand@exemple.fr>", "FR").entries[0]?.name).toBe("Paul Durand");
    expect(parsePastedSubscribers("Ann Martin\tann@example.org\t+33 6 12 34 56 78", "FR").entries).toEqual([{ email: "ann@example.org", name: "Ann Martin", phone: "+33612345678" }]);
  });
});

describe("a language shown as data (a table cell, a filter, a site's default)", () => {
  it("is named in the reader's language, capitalised as a label", () => {
    const filter = (locale: "en" | "fr") =>
      render(createElement(SubscriptionFilterForm, { action: "/x", filters: {}, siteLanguage: "fr", phone: phoneExamples("FR", locale), exportGroupHref: "/e", exportFilteredHref: null }), locale);
    expect(filter("en")).toContain(">French (or not stated)</option>");
    expect(filter("en")).toContain(">English</option>");
    expect(filter("fr")).toContain(">Anglais</option>");
    expect(filter("en")).not.toContain("Français");
  });

  // A subscriber's language was "English" on the French import preview and in the language
  // choices of the add, set-language and import forms (the switcher's own names), "Anglais" in
  // the table, the filters and the CSV: one naming now, the screen's.
  const importPreview = (locale: "en" | "fr") => {
    const row: ImportPreview["rows"][number] = { line: 2, email: "ann@example.org", name: "Ann", phone: null, typedPhone: "", locale: "en", typedLanguage: "en", typedStatus: "", problem: null, otherProblems: [], outcome: "added", newPhone: false, refused: false };
    const preview: ImportPreview = {
      delimiter: "semicolon",
      columns: { header: true, email: 0, name: [], phone: null, language: 1, status: null, labels: { email: "email", name: null, phone: null, language: "langue", status: null } },
      rows: [row, { ...row, line: 3, email: "bob@example.org", locale: "fr", typedLanguage: "fr" }],
      total: 2,
      counts: { added: 2, confirmed: 0, already: 0, unsubscribed: 0, suppressed: 0, erased: 0, erasedPhone: 0, problems: 0, merged: 0 },
      phones: 0,
      hidden: 0,
    };
    return render(createElement(ImportPreviewView, { preview, status: "confirmed", language: "fr", busy: false, onBack: () => {}, onImport: () => {} }), locale);
  };
  const forms = (locale: "en" | "fr") =>
    [
      render(createElement(AddClients, { group: 1, siteLanguage: "fr", phone: phoneExamples("FR", locale) }), locale),
      render(createElement(PageNoticeProvider, null, createElement(BulkClient, { selected: [], group: 1, siteLanguage: "fr", targets: [], onDone: () => {} })), locale),
      render(createElement(ImportClient, { group: 1, groupHref: "/g", maxBytes: 1000, siteLanguage: "fr", country: phoneExamples("FR", locale).country }), locale),
    ].join("");

  it("is named the same way on the import preview and in the forms' language choices", () => {
    expect(importPreview("fr")).toContain(">Anglais</td>");
    expect(importPreview("fr")).toContain(">Français</td>");
    expect(importPreview("fr")).not.toContain("English");
    expect(importPreview("en")).toContain(">English</td>");
    expect(importPreview("en")).toContain(">French</td>");
    expect(importPreview("en")).not.toContain("Français");
    const fr = forms("fr");
    expect(fr.match(/>Anglais<\/option>/g)).toHaveLength(4); // add one, paste, set language, import
    expect(fr).not.toContain(">English<");
    expect(forms("en").match(/>French<\/option>/g)).toHaveLength(4);
    expect(forms("en")).not.toContain(">Français<");
  });
});
