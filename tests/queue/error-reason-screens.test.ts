import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorText } from "@/components/queue/error-text";
import { enqueue } from "@/lib/queue/enqueue";
import { listQueue, queueWhere } from "@/lib/queue/list";
import { queueHistory } from "@/lib/queue/detail";
import { runQueue } from "@/lib/queue/run";
import { failedRecipients } from "@/lib/newsletters/templates";
import { smppTransport } from "@/lib/sms/smpp";
import type { SmsTransport } from "@/lib/sms/transport";
import fr from "@/messages/fr.json";
import { makeSite } from "../helpers/factories";
import { failureTranslator } from "../helpers/failure-translator";
import { startSmsc, type SmscHarness } from "../helpers/smsc";

// An SMS refused by a real SMSC on loopback, through the queue, then read as the screens read
// it: the queue list (listQueue), a send's report (failedRecipients) and a row's history
// (queueHistory), each through errorText with the French messages.

let smsc: SmscHarness;
let transport: SmsTransport;
beforeAll(async () => {
  smsc = await startSmsc({ receipts: "none" });
  transport = smppTransport(smsc.url(), { log: () => {} });
});
afterAll(async () => {
  await transport.close();
  await smsc.close();
});

const tfr = failureTranslator("fr");
const reasons = fr.queue.failure.reasons;

async function refusedSms(siteId: number, status: number) {
  const { messageId } = await enqueue({
    siteId,
    channel: "sms",
    message: { kind: "newsletter", subject: "", text: "Assemblée générale jeudi à 18 h", fromName: "", fromAddress: "Chora" },
    recipients: [{ address: "+33612340077" }],
  });
  smsc.failNext(status);
  expect(await runQueue({ kind: "send", siteId, runner: "test-send", sms: async () => transport })).toMatchObject({ failed: 1 });
  return messageId;
}

describe("a refused SMS on the screens, in French", () => {
  it("an invalid destination (ESME_RINVDSTADR): the reason, the SMSC's words, no retry to promise", async () => {
    const site = await makeSite();
    const messageId = await refusedSms(site.id, 0x0b);
    const raw = "SMPP submit_sm: ESME_RINVDSTADR (0x0B)";
    const expected = { reason: reasons.invalidNumber, detail: raw, retry: null, detailLabel: "Détail technique\u202f:" };

    const [row] = (await listQueue(await queueWhere({ status: "error" }, site.id))).rows;
    expect(row).toMatchObject({ lastError: raw, retryable: false });
    expect(errorText(tfr, row.lastError!, row.retryable)).toEqual(expected);

    const [failed] = (await failedRecipients(site.id, messageId)).rows;
    expect(errorText(tfr, failed.lastError!, failed.retryable)).toEqual(expected);
    expect(expected.reason).toBe("Le numéro de téléphone n’est pas valide\u202f: corrigez-le à sa source avant le prochain envoi.");

    const event = (await queueHistory(row.id)).find((e) => e.toStatus === "error")!;
    expect(errorText(tfr, event.error!)).toEqual(expected);
  });

  it("an SMSC system error (ESME_RSYSERR): temporary, so the report says it will be tried again", async () => {
    const site = await makeSite();
    const messageId = await refusedSms(site.id, 0x08);
    const [failed] = (await failedRecipients(site.id, messageId)).rows;
    expect(errorText(tfr, failed.lastError!, failed.retryable)).toEqual({
      reason: reasons.smsProviderError,
      detail: "SMPP submit_sm: ESME_RSYSERR (0x08)",
      retry: "Un nouvel essai aura lieu automatiquement.",
      detailLabel: "Détail technique\u202f:",
    });
  });
});
