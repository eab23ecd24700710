import { beforeAll, describe, expect, it, vi } from "vitest";
import { isValidElement, type ReactNode } from "react";
import { and, eq } from "drizzle-orm";
import { db } from "@/db/client";
import { subscriptions, type Site, type User } from "@/db/schema";
import GroupPage from "@/app/[locale]/manage/subscriptions/[group]/page";
import { SubscriptionsTableClient, type TableRow as SubscriptionTableRow } from "@/app/[locale]/manage/subscriptions/[group]/table-client";
import { eraseSubscriberAction } from "@/app/[locale]/manage/subscriptions/actions";
import { previewImportAction } from "@/app/[locale]/manage/subscriptions/[group]/import/actions";
import { GET as exportSubscriptions } from "@/app/api/subscriptions/export/route";
import { NextRequest } from "next/server";
import QueuePage from "@/app/[locale]/manage/queue/page";
import QueueRowPage from "@/app/[locale]/manage/queue/[id]/page";
import { QueueTableClient, type TableRow as QueueTableRow } from "@/app/[locale]/manage/queue/queue-table-client";
import UsersPage from "@/app/[locale]/manage/users/page";
import SitesPage from "@/app/[locale]/manage/sites/page";
import { FactList } from "@/components/ui/fact-list";
import { emailSearchText, shownDomain, shownEmail } from "@/lib/idn";
import { normalizeEmail } from "@/lib/newsletters/addresses";
import { setOverride } from "@/lib/i18n/overrides";
import { addSubscribers } from "@/lib/newsletters/subscriptions/add";
import { listSubscriptions } from "@/lib/newsletters/subscriptions/list";
import { subscriptionsWhere } from "@/lib/newsletters/subscriptions/filters";
import { enqueue } from "@/lib/queue/enqueue";
import { listQueue, queueWhere } from "@/lib/queue/list";
import { listUsers } from "@/lib/users/list";
import { actAs } from "./helpers/request";
import { findAll } from "./helpers/server-page";
import { makeSite, makeUser } from "./helpers/factories";
import { expectSuccess, run } from "./helpers/actions";

/**
 * Addresses on internationalised domains are stored in ASCII (ann@crème.fr as
 * ann@xn--crme-6oa.fr, normalizeEmail), site domains too (bücher.example as
 * xn--bcher-kva.example). The screens showed that form to people who typed the accented one, and
 * a search typed in the accented form found nothing.
 */

// Server components read translations and formats through next-intl/server, which needs Next's
// request; here they are the English file's.
vi.mock("next-intl/server", async () => (await import("./helpers/server-page")).englishIntlServer());

const ANN = normalizeEmail("ann@crème.fr");
let site: Site;
let admin: User;
let superuser: User;

beforeAll(async () => {
  // A site on an internationalised domain, stored as the sites form stores it.
  site = await makeSite({ domain: "xn--bcher-kva.example", name: "Bücher" });
  admin = await makeUser(site.id, "admin", { email: "admin@xn--bcher-kva.example", name: "" });
  superuser = await makeUser(site.id, "superuser");
  await setOverride(site.id, "en", "signup_opt1", "News");
  const options = { status: "confirmed", source: "screen", consentText: `added by ${admin.email}`, locale: "en" } as const;
  await addSubscribers(site.id, 1, [ANN, "ann@creme.fr", "bob@xn--crme-6oa.fr", "zoe@xn--bcher-kva.example"].map((email) => ({ email, name: "" })), options);
  await enqueue({
    siteId: site.id,
    message: { kind: "newsletter", subject: "Spring", text: "Hi", fromName: "Bücher", fromAddress: "news@xn--bcher-kva.example" },
    recipients: [{ address: ANN, name: "Ann" }, { address: "ann@creme.fr" }, { address: "bob@xn--crme-6oa.fr" }],
  });
});

/** Every text a server component's tree holds, joined (host elements and their children). */
function texts(node: ReactNode): string {
  if (Array.isArray(node)) return node.map(texts).join(" ");
  if (typeof node === "string" || typeof node === "number") return String(node);
  if (!isValidElement(node)) return "";
  const props = node.props as { children?: ReactNode; title?: unknown };
  return [typeof props.title === "string" ? props.title : "", texts(props.children)].join(" ");
}
const params = <T extends Record<string, string>>(extra = {} as T) => Promise.resolve({ locale: "en", ...extra });

describe("lib/idn", () => {
  it("shows a stored ASCII domain as people write it, only when it stands for exactly that", () => {
    expect(shownEmail("ann@xn--crme-6oa.fr")).toBe("ann@crème.fr");
    expect(shownDomain("xn--bcher-kva.example")).toBe("bücher.example");
    expect(shownEmail("ann@example.org")).toBe("ann@example.org");
    // Malformed punycode, or a name normalizeEmail would not give back: shown as stored.
    expect(shownEmail("ann@xn--a.fr")).toBe("ann@xn--a.fr");
    expect(shownEmail("ann@xn--ls8h.la")).toBe("ann@xn--ls8h.la");
    expect(shownDomain("xn--.example")).toBe("xn--.example");
    // What is shown reads back to what is stored (the erase dialog and the import send it back).
    expect(normalizeEmail(shownEmail(ANN))).toBe(ANN);
  });

  it("turns an accented domain typed in a search into the stored form, label by label", () => {
    expect(emailSearchText(" Ann@Crème ")).toBe("ann@xn--crme-6oa");
    expect(emailSearchText("ann@crème.f")).toBe("ann@xn--crme-6oa.f");
    expect(emailSearchText("ann@crème.fr")).toBe(ANN);
    expect(emailSearchText("ann@crème..")).toBe("ann@xn--crme-6oa..");
    // Nothing else changes: ASCII, no "@", an accented local part.
    expect(emailSearchText("ann@xn--crme")).toBe("ann@xn--crme");
    expect(emailSearchText("crème")).toBe("crème");
    expect(emailSearchText("zoé@example")).toBe("zoé@example");
  });
});

describe("the subscriptions screen", () => {
  const found = async (q: string) => (await listSubscriptions(subscriptionsWhere(site.id, 1, { q }))).rows.map((r) => r.email).sort();

  it("finds an address typed with its accented domain, whole or as a prefix", async () => {
    expect(await found("ann@crème.fr")).toEqual([ANN]);
    expect(await found("ANN@CRÈME")).toEqual([ANN]);
    expect(await found("ann@crème.f")).toEqual([ANN]);
    expect(await found("ann@xn--crme")).toEqual([ANN]);
    expect(await found("ann@")).toEqual(["ann@creme.fr", ANN]);
    // A prefix ending inside an accented label is that label whole, which no address has (lib/idn.ts).
    expect(await found("ann@crè")).toEqual([]);
  });

  it("shows addresses and the consent's administrator as people write them, and erases from the shown form", async () => {
    actAs(admin.id, site.domain);
    const page = await GroupPage({ params: params({ group: "1" }), searchParams: Promise.resolve({}) });
    const [table] = findAll<{ rows: SubscriptionTableRow[] }>(page, SubscriptionsTableClient);
    const rows = table.props.rows;
    expect(rows.map((r) => r.email).sort()).toEqual(["ann@creme.fr", "ann@crème.fr", "bob@crème.fr", "zoe@bücher.example"]);
    expect(rows[0].consentText).toBe("added by admin@bücher.example");

    // The table's erase dialog sends the shown address: it reaches the stored row.
    const erased = expectSuccess(await run(eraseSubscriberAction, { email: "zoe@bücher.example" })) as { data: unknown };
    expect(erased.data).toMatchObject({ email: "zoe@bücher.example", subscriptions: 1 });
    expect(await db.select().from(subscriptions).where(and(eq(subscriptions.siteId, site.id), eq(subscriptions.email, "zoe@xn--bcher-kva.example")))).toEqual([]);
  });

  it("exports the stored form, filtered by an accented search, and the import's preview shows either form as written", async () => {
    actAs(admin.id, site.domain);
    // The file keeps the ASCII form (lib/idn.ts says why); the import reads both.
    const file = await (await exportSubscriptions(new NextRequest(`http://localhost/api/subscriptions/export?group=1&q=${encodeURIComponent("ann@crème")}`))).text();
    expect(file).toContain("ann@xn--crme-6oa.fr");
    expect(file).not.toContain("ann@creme.fr");
    const csv = "email\nann@xn--crme-6oa.fr\nnew@crème.fr\n";
    const preview = expectSuccess(await run(previewImportAction, { group: "1", csv, status: "confirmed", locale: "en" })) as { data: { rows: { email: string; outcome: string }[] } };
    expect(preview.data.rows.map((r) => [r.email, r.outcome])).toEqual([
      ["ann@crème.fr", "already"],
      ["new@crème.fr", "added"],
    ]);
  });

  it("names the site by its domain as people write it", async () => {
    actAs(admin.id, site.domain);
    const SubscriptionsPage = (await import("@/app/[locale]/manage/subscriptions/page")).default;
    const html = texts(await SubscriptionsPage({ params: params() }));
    expect(html).toContain("bücher.example");
    expect(html).not.toContain("xn--");
  });
});

describe("the queue screen", () => {
  const found = async (recipient: string) => (await listQueue((await queueWhere({ recipient }, site.id))!)).rows.map((r) => r.recipient).sort();

  it("finds a recipient typed with its accented domain", async () => {
    expect(await found("ann@crème.fr")).toEqual([ANN]);
    expect(await found("Ann@Crème")).toEqual([ANN]);
    expect(await found("bob@crème.f")).toEqual(["bob@xn--crme-6oa.fr"]);
    expect(await found("ann@crè")).toEqual([]);
  });

  it("lists recipients, and a superuser's site column, as people write them", async () => {
    actAs(superuser.id, site.domain);
    const page = await QueuePage({ params: params(), searchParams: Promise.resolve({ site: "all" }) });
    const rows = findAll<{ rows: QueueTableRow[] }>(page, QueueTableClient)[0].props.rows;
    expect(rows.map((r) => [r.recipient, r.site]).sort()).toEqual([
      ["ann@creme.fr", "bücher.example"],
      ["ann@crème.fr", "bücher.example"],
      ["bob@crème.fr", "bücher.example"],
    ]);
  });

  it("shows a row's recipient, its message's addresses and its site as people write them", async () => {
    actAs(superuser.id, site.domain);
    const [row] = (await listQueue((await queueWhere({ recipient: ANN }, site.id))!)).rows;
    const page = await QueueRowPage({ params: params({ id: String(row.id) }) });
    const facts = findAll<{ facts: [string, ReactNode][] }>(page, FactList)[0].props.facts;
    const fact = (label: string) => facts.find(([l]) => l === label)?.[1];
    expect(fact("Recipient")).toBe("Ann <ann@crème.fr>");
    expect(fact("Site")).toBe("bücher.example");
    const text = texts(page) + JSON.stringify(findAll<{ headers: [string, string][] }>(page, (await import("@/components/queue/message-preview")).MessagePreview)[0].props.headers);
    expect(text).toContain('"To","\\"Ann\\" <ann@crème.fr>"');
    expect(text).toContain('"From","\\"Bücher\\" <news@bücher.example>"');
  });
});

describe("the users screen", () => {
  it("finds an account typed with its accented domain, still finds names as typed, and shows addresses as people write them", async () => {
    const ann = await makeUser(site.id, "member", { email: "ann@xn--crme-6oa.fr", name: "Annick" });
    const zoe = await makeUser(site.id, "member", { email: "zoe@example.org", name: "Zoé Crème" });
    const found = async (q: string) => (await listUsers({ siteId: site.id, q })).users.map((u) => u.id);
    expect(await found("ann@crème")).toEqual([ann.id]);
    expect(await found("ANN@crème.fr")).toEqual([ann.id]);
    expect(await found("zoé")).toEqual([zoe.id]);

    actAs(admin.id, site.domain);
    const html = texts(await UsersPage({ params: params(), searchParams: Promise.resolve({ q: "ann@crème" }) }));
    expect(html).toContain("ann@crème.fr");
    expect(html).not.toContain("xn--");
  });
});

describe("the sites screen", () => {
  it("lists a site by its domain as people write it", async () => {
    actAs(superuser.id, site.domain);
    const html = texts(await SitesPage({ params: params() }));
    expect(html).toContain("bücher.example");
    expect(html).not.toContain("xn--bcher");
  });
});
