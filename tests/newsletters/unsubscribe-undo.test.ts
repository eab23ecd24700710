import { createElement, type ComponentProps } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { NextIntlClientProvider } from "next-intl";
import { and, eq } from "drizzle-orm";
import { db } from "@/db/client";
import { subscriptions, type Site } from "@/db/schema";
import { leaveAction, type LeaveAnswer } from "@/app/[locale]/(public)/unsubscribe/[token]/actions";
import { subscriberView } from "@/app/[locale]/(public)/unsubscribe/[token]/subscriber";
import { UnsubscribeView } from "@/app/[locale]/(public)/unsubscribe/[token]/unsubscribe-client";
import type { ActionResult } from "@/lib/actions/action";
import { setOverride } from "@/lib/i18n/overrides";
import { unsubscribeToken } from "@/lib/newsletters/keys";
import en from "@/messages/en.json";
import { actAs } from "../helpers/request";
import { makeSite } from "../helpers/factories";
import { expectFailure, expectSuccess, run } from "../helpers/actions";

// The unsubscribe page after leaving a group: wording that fits what is left, and an undo for a
// mistaken click that puts the subscription back as it was, and nothing more.
let site: Site;

beforeAll(async () => {
  site = await makeSite({ defaultLocale: "en" });
  for (const [id, label] of [[1, "News"], [2, "Offers"]] as const) await setOverride(site.id, "en", `signup_opt${id}`, label);
  actAs(null, site.domain);
});
afterEach(() => void vi.useRealTimers());

async function subscriber(email: string, groups: Record<number, "confirmed" | "unconfirmed">) {
  await db.insert(subscriptions).values(
    Object.entries(groups).map(([groupId, status]) => ({
      siteId: site.id,
      groupId: Number(groupId),
      email,
      status,
      source: "screen" as const,
      confirmedAt: status === "confirmed" ? new Date("2026-01-01T00:00:00Z") : null,
    })),
  );
  return unsubscribeToken(site.id, email);
}
const rowOf = async (email: string, groupId: number) =>
  (await db.select().from(subscriptions).where(and(eq(subscriptions.siteId, site.id), eq(subscriptions.email, email), eq(subscriptions.groupId, groupId))))[0];
/** Leaves `group` through the page; returns the undo ticket it answered with. */
async function leave(token: string, group: number) {
  const answer = expectSuccess(await run(leaveAction, { token, group: String(group) })) as { ok: true; data: { left: number; undo: string | null } };
  expect(answer.data.left).toBe(group);
  return answer.data.undo!;
}
const undo = (token: string, group: number | "all", ticket: string) => run(leaveAction, { token, group: String(group), undo: ticket });

/** The page's content after `answer`, as the browser gets it re-rendered (the view read afresh). */
async function page(token: string, answer: ActionResult<LeaveAnswer>) {
  type Props = ComponentProps<typeof NextIntlClientProvider>;
  const view = (await subscriberView(token, "en"))!;
  const props = { locale: "en", messages: en, timeZone: "UTC" } as Omit<Props, "children">;
  return renderToStaticMarkup(createElement(NextIntlClientProvider, props as Props, createElement(UnsubscribeView, { answer, formAction: () => {}, token, view })));
}

describe("leaving the only group", () => {
  it("says so without speaking of other subscriptions, offers no 'everything', and offers the undo", async () => {
    const token = await subscriber("ann@example.org", { 1: "confirmed" });
    const ticket = await leave(token, 1);
    const html = await page(token, { ok: true, data: { left: 1, undo: ticket } });
    expect(html).toContain("Done: you will no longer receive “News”.");
    expect(html).not.toContain("other subscriptions");
    expect(html).not.toContain("Unsubscribe from everything");
    expect(html).toContain("This address receives no news from");
    expect(html).toContain("I clicked by mistake: subscribe me again to “News”");
    expect(html).toContain(`name="undo" value="${ticket}"`);
  });

  it("with other groups left, keeps the old wording and the 'everything' button", async () => {
    const token = await subscriber("bea@example.org", { 1: "confirmed", 2: "confirmed" });
    const ticket = await leave(token, 1);
    const html = await page(token, { ok: true, data: { left: 1, undo: ticket } });
    expect(html).toContain("Your other subscriptions are unchanged.");
    expect(html).toContain("Unsubscribe from everything");
    expect(html).toContain("I clicked by mistake: subscribe me again to “News”");
  });
});

describe("the undo", () => {
  it("puts a confirmed subscription back confirmed, with no new opt-in, once", async () => {
    const token = await subscriber("cal@example.org", { 1: "confirmed" });
    const ticket = await leave(token, 1);
    expect(await rowOf("cal@example.org", 1)).toMatchObject({ status: "unsubscribed" });

    expect(expectSuccess(await undo(token, 1, ticket))).toEqual({ ok: true, data: { rejoined: 1 } });
    expect(await rowOf("cal@example.org", 1)).toMatchObject({ status: "confirmed", unsubscribedAt: null, confirmedAt: new Date("2026-01-01T00:00:00Z") });
    expect(await page(token, { ok: true, data: { rejoined: 1 } })).toContain("Undone: your subscription to “News” is back.");
    // The same ticket again: that leave is already undone.
    expectFailure(await undo(token, 1, ticket), "errors.unsubscribeUndoGone");
  });

  it("puts an unconfirmed subscription back unconfirmed, never confirmed", async () => {
    const token = await subscriber("dan@example.org", { 1: "unconfirmed" });
    const ticket = await leave(token, 1);
    expect(ticket.startsWith("unconfirmed.")).toBe(true);
    // Claiming it was confirmed breaks the signature.
    expectFailure(await undo(token, 1, ticket.replace(/^unconfirmed/, "confirmed")), "errors.unsubscribeUndoGone");
    expect(expectSuccess(await undo(token, 1, ticket))).toEqual({ ok: true, data: { rejoined: 1 } });
    expect(await rowOf("dan@example.org", 1)).toMatchObject({ status: "unconfirmed", unsubscribedAt: null });
  });

  it("only for the group, the token and the leave that gave the ticket, for an hour, and not after leaving everything", async () => {
    const token = await subscriber("eva@example.org", { 1: "confirmed", 2: "confirmed" });
    const other = await subscriber("fred@example.org", { 1: "confirmed" });
    const ticket = await leave(token, 1);
    await run(leaveAction, { token: other, group: "1" });
    expectFailure(await undo(token, 2, ticket), "errors.unsubscribeUndoGone"); // another group
    expectFailure(await undo(other, 1, ticket), "errors.unsubscribeUndoGone"); // another address
    expectFailure(await undo(token, 1, "confirmed.1.x"), "errors.unsubscribeUndoGone");
    expectFailure(await undo(token, 1, ""), "errors.unsubscribeUndoGone");
    expectFailure(await undo(token, "all", ticket), "errors.checkFields"); // never read as "leave everything"
    expect(await rowOf("eva@example.org", 2)).toMatchObject({ status: "confirmed" });
    expect(await rowOf("fred@example.org", 1)).toMatchObject({ status: "unsubscribed" });

    // Too late.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 61 * 60_000);
    expectFailure(await undo(token, 1, ticket), "errors.unsubscribeUndoGone");
    vi.useRealTimers();

    // Left everything since: that wins.
    const again = await leave(token, 2);
    expectSuccess(await run(leaveAction, { token, group: "all" }));
    expectFailure(await undo(token, 2, again), "errors.unsubscribeUndoGone");
    expect(await rowOf("eva@example.org", 2)).toMatchObject({ status: "unsubscribed" });
  });

  it("a group that had already been left gives no undo", async () => {
    const token = await subscriber("gil@example.org", { 1: "confirmed" });
    await leave(token, 1);
    expect(await leave(token, 1)).toBeNull();
  });
});

it("leaving a group already left keeps the date it was left, and gives no undo", async () => {
  const token = await subscriber("ivy@example.org", { 1: "confirmed" });
  await leave(token, 1);
  const first = (await rowOf("ivy@example.org", 1)).unsubscribedAt;
  expect(first).not.toBeNull();
  await new Promise((resolve) => setTimeout(resolve, 20));
  const again = expectSuccess(await run(leaveAction, { token, group: "1" })) as { ok: true; data: { undo: string | null } };
  expect(again.data.undo).toBeNull();
  expect((await rowOf("ivy@example.org", 1)).unsubscribedAt).toEqual(first);
});
