import { eq } from "drizzle-orm";
import { db } from "@/db/client";
import { sites } from "@/db/schema";
import { env } from "@/lib/env";
import { recordReceipt } from "@/lib/queue/receipts";
import { siteBaseUrl } from "@/lib/sites/url";
import { siteSmsUrl } from "./site-sms-url";
import { parseSmppUrl, TWILIO_STATUS_PATH } from "./url";
import { outboxSmsTransport, SmsSendError, type SmsReceipt, type SmsTransport } from "./transport";

/** Which SMS transport sends a site's messages. */
export type SmsResolver = (siteId: number) => Promise<SmsTransport>;

/**
 * Transports live as long as the process: an SMPP session is bound once and reused by every
 * run (binding per run would cost a round trip and, at many SMSCs, a bind-rate limit). Keyed by
 * configuration, so a site whose URL (or, for Twilio, address) changes gets a new one; the old
 * one is closed.
 */
// Kept on globalThis: Next compiles instrumentation (the embedded scheduler, the listener) and the
// routes (queue buttons, Inngest, site saves) into separate bundles, each with its own copy of
// this module; one map per process means one SMPP session per account, which a save can replace.
const TRANSPORTS_KEY = Symbol.for("chora.smsTransports");
type Registry = { open: Map<string, Promise<SmsTransport>>; bySite: Map<number, string> };
const holder = globalThis as typeof globalThis & { [TRANSPORTS_KEY]?: Registry };
const registry: Registry = (holder[TRANSPORTS_KEY] ??= { open: new Map(), bySite: new Map() });
const { open, bySite } = registry;

/** Receipts heard on `account`'s session apply only to the rows sent through it (see withAccount). */
const receiptFrom = (actor: string, account: string) => (r: SmsReceipt) =>
  recordReceipt({ channel: "sms", providerMessageId: r.providerMessageId, delivered: r.delivered, reason: r.reason, actor, account }).then((result) => {
    if (result === "early") console.warn(`[sms] ${actor} receipt for ${r.providerMessageId} matches no sent SMS yet; kept until it does`);
  });

/** A site's SMS transport: its own URL, else SMS_URL, else the outbox (embedded default). */
export const smsForSite: SmsResolver = async (siteId) => {
  const [site] = await db.select().from(sites).where(eq(sites.id, siteId));
  const found = siteSmsUrl(site);
  if (!found.ok) return unreadableTransport(siteId);
  const url = found.url ?? "outbox:";
  const smpp = /^smpps?:/.test(url);
  // One SMPP session per login, shared by the sites on it whatever their `?source=` (applied per
  // send below): SMSCs allow few binds per account. A changed password is a new session.
  // A Twilio transport carries the site's callback address: a renamed site gets a new one, or
  // Twilio would post its receipts to a domain that no longer leads to the site.
  const key = url.startsWith("twilio:") && site ? `${url}#${siteId}#${siteBaseUrl(site)}` : smpp ? withoutSource(url) : url;
  const previous = bySite.get(siteId);
  bySite.set(siteId, key);
  if (previous && previous !== key && ![...bySite.values()].includes(previous)) {
    void open.get(previous)?.then((t) => t.close());
    open.delete(previous);
  }
  // The promise is stored at once, so two runs starting together share one session.
  let transport = open.get(key);
  if (!transport) {
    const building = build(smpp ? key : url, site);
    open.set(key, (transport = building));
    // A transport that could not be built is not kept: the next call tries again.
    building.catch(() => open.get(key) === building && open.delete(key));
  }
  return smpp ? transport.then((shared) => fromSource(shared, parseSmppUrl(url).source)) : transport;
};

/** An SMPP URL without its `?source=`: the shared session sends from what each site gives. */
const withoutSource = (url: string) => url.replace(/([?&])source=[^&]*(&|$)/, (_m, lead: string, tail: string) => (tail ? lead : "")).replace(/\?$/, "");

/** A site's view of a shared session: an SMS without a sender of its own goes from the site URL's source. */
function fromSource(shared: SmsTransport, source: string): SmsTransport {
  return {
    kind: shared.kind,
    send: (sms) => shared.send(sms.from ? sms : { ...sms, from: source }),
    listen: shared.listen && (() => shared.listen!()),
    close: () => shared.close(),
  };
}

/** Each send says which account numbered it: the queue row keeps it for its receipts (lib/queue/receipts.ts). */
function withAccount(transport: SmsTransport, account: string): SmsTransport {
  return {
    kind: transport.kind,
    send: (sms) => transport.send(sms).then((sent) => ({ ...sent, account })),
    listen: transport.listen && (() => transport.listen!()),
    close: () => transport.close(),
  };
}

/** A site whose SMS URL cannot be decrypted: every send fails (retried later) and says why. */
function unreadableTransport(siteId: number): SmsTransport {
  const message = `site ${siteId}: its SMS URL cannot be decrypted (was AUTH_SECRET changed?); enter it again in Manage » Sites`;
  return { kind: "outbox", send: async () => Promise.reject(new SmsSendError(message, true)), close() {} };
}

/**
 * The transports' libraries are loaded the first time a site needs them: a server that sends
 * no SMS through them does not carry them (the twilio package alone is large).
 */
async function build(url: string, site: typeof sites.$inferSelect | undefined): Promise<SmsTransport> {
  if (url.startsWith("smpp:") || url.startsWith("smpps:")) {
    const { smppTransport } = await import("./smpp");
    const { handleInboundSms, smsAccount } = await import("./opt-out");
    const account = smsAccount(url);
    const transport = smppTransport(url, { window: env.SMS_WINDOW, onReceipt: receiptFrom("smpp", account), onInbound: (sms) => handleInboundSms(url, sms).then(() => undefined) });
    return withAccount(transport, account);
  }
  if (url.startsWith("twilio:") && site) {
    const { twilioTransport } = await import("./twilio");
    const { recordProviderOptOut, smsAccount } = await import("./opt-out");
    // Twilio's receipts are vouched for by the site instead (its SIDs are unique anyway); the
    // account only keeps SMPP receipts off Twilio rows.
    const transport = twilioTransport(url, {
      statusCallback: `${siteBaseUrl(site)}${TWILIO_STATUS_PATH}`,
      // The sender the refused SMS went from (a row keeps the one it was queued with).
      onOptedOut: (phone, from) => recordProviderOptOut(site.id, smsAccount(url, from), phone),
    });
    return withAccount(transport, smsAccount(url));
  }
  return outboxSmsTransport();
}

/**
 * Keeps an SMPP session bound for every site that sends through SMPP (`siteIds`: those sites
 * only), so receipts and STOP replies are heard when nothing is being sent: after a restart, or
 * when the SMS went out from a command that has since exited. A site whose SMS URL changed gets
 * its new transport; the old one is closed unless another site still uses it.
 */
export async function listenForSmsReplies(siteIds?: number[]): Promise<number> {
  let listening = 0;
  for (const site of await db.select({ id: sites.id, smsUrl: sites.smsUrl }).from(sites)) {
    if (siteIds && !siteIds.includes(site.id)) continue;
    const found = siteSmsUrl(site);
    const smpp = found.ok && /^smpps?:/.test(found.url ?? "");
    try {
      // Resolved even when it is not SMPP: a site that left SMPP closes its old session here.
      if (!smpp && !bySite.has(site.id)) continue;
      const transport = await smsForSite(site.id);
      if (smpp && env.SMS_LISTEN && transport.listen) {
        transport.listen();
        listening++;
      }
    } catch (error) {
      console.warn(`[sms] site ${site.id}: cannot listen for receipts and replies`, error);
    }
  }
  return listening;
}

/** For tests and shutdown: closes every transport opened here. */
export async function closeSmsTransports() {
  const all = [...open.values()];
  open.clear();
  bySite.clear();
  await Promise.allSettled(all.map((t) => t.then((transport) => transport.close())));
}

/** The resolver, asked once per site for the length of a run (it reads the site's settings). */
export function perRun(resolve: SmsResolver): SmsResolver {
  const known = new Map<number, Promise<SmsTransport>>();
  return (siteId) => {
    let transport = known.get(siteId);
    if (!transport) known.set(siteId, (transport = resolve(siteId)));
    return transport;
  };
}
