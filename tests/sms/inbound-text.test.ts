import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { asc, eq } from "drizzle-orm";
import { db } from "@/db/client";
import { smsReplies, type Site } from "@/db/schema";
import { closeSmsTransports, listenForSmsReplies } from "@/lib/sms/resolve";
import { startSmsc, type SmscHarness } from "../helpers/smsc";
import { makeSite } from "../helpers/factories";

// Replies as a real SMSC delivers them (the loopback SMSC codes a text GSM-7 when the alphabet
// holds it, else UCS-2, or as the test asks), read back by the SMPP transport into the replies
// screen's table. How each data_coding's octets are read is in smpp-inbound-text.test.ts.
let smsc: SmscHarness;
let site: Site;
beforeAll(async () => {
  smsc = await startSmsc();
  site = await makeSite({ domain: "inbound-text.example.org", smsUrl: smsc.url({ source: "Texts" }), defaultCountry: "FR" });
  await listenForSmsReplies([site.id]);
});
afterAll(async () => {
  await closeSmsTransports();
  await smsc.close();
});

const storedFrom = async (phone: string) =>
  (await db.select({ text: smsReplies.text }).from(smsReplies).where(eq(smsReplies.phone, phone)).orderBy(asc(smsReplies.id))).map((r) => r.text);
async function expectStored(phone: string, texts: string[]) {
  await vi.waitFor(async () => expect(await storedFrom(phone)).toHaveLength(texts.length));
  expect(await storedFrom(phone)).toEqual(texts);
}

describe("the text of a reply, whatever its coding", () => {
  it("a French reply with ’ and ê (UCS-2, as a handset sends it) is kept as written", async () => {
    const phone = "+33612349401";
    const text = "Très bien, merci ! Ça m’intéresse, à la fête de l’été ; ça me plaît 🎉";
    expect(await smsc.sendInbound(phone, text, { to: "Texts" })).toBe(0);
    await expectStored(phone, [text]);
  });

  it("a reply the GSM alphabet holds (à 0x7F, Ç 0x09, € behind the escape) is kept as written, and the same in UCS-2", async () => {
    const text = "Ça va à 18h, 5 € la place {salle B} [RDC] ~ ^ | \\ é è ù";
    await smsc.sendInbound("+33612349402", text, { to: "Texts" });
    await smsc.sendInbound("+33612349412", text, { coding: "ucs2", to: "Texts" });
    await expectStored("+33612349402", [text]);
    await expectStored("+33612349412", [text]);
  });

  it("a reply in IA5 (plain ASCII, data_coding 1) keeps its @, $, _ and braces", async () => {
    const phone = "+33612349403";
    const text = "Ecrivez a ana_b@example.org, 12$ {ok} [x] ~ ^ | \\ `y`";
    await smsc.sendInbound(phone, text, { coding: "ia5", to: "Texts" });
    await expectStored(phone, [text]);
  });

  it("a reply in Latin-1 (data_coding 3) keeps ç, ê and Ç", async () => {
    const phone = "+33612349404";
    const text = "Ça m'intéresse, à la fête ; reçu, très bien";
    await smsc.sendInbound(phone, text, { coding: "latin1", to: "Texts" });
    await expectStored(phone, [text]);
  });

  it("a long reply in UCS-2 parts, ’ and an emoji at the cut, is joined as written", async () => {
    const phone = "+33612349405";
    const text = "Je viendrai à la réunion de jeudi, mais l’heure ne me convient pas 🙂 : pouvez-vous la décaler ? Ça m’arrangerait, merci ! Hélène";
    const cuts = [0, text.indexOf("’heure"), text.indexOf("🙂") + 1, text.length]; // the second cut splits 🙂's two UTF-16 halves
    for (let seq = 1; seq <= 3; seq++) {
      const part = text.slice(cuts[seq - 1], cuts[seq]);
      expect(await smsc.sendInbound(phone, part, { coding: "ucs2", udh: { ref: 41, total: 3, seq }, to: "Texts" })).toBe(0);
    }
    await expectStored(phone, [text]);
  });

  it("a long reply in GSM-7 parts, with € and à, is joined as written", async () => {
    const phone = "+33612349406";
    const parts = ["Ça fera 12 € par personne", ", à régler sur place {espèces}."];
    for (const [i, part] of parts.entries()) await smsc.sendInbound(phone, part, { coding: "gsm7", udh: { ref: 42, total: 2, seq: i + 1 }, to: "Texts" });
    await expectStored(phone, [parts.join("")]);
  });
});
