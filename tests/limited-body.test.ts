import { beforeAll, describe, expect, it } from "vitest";
import { limitedBytes, limitedText } from "@/lib/http/limited-body";
import { POST as subscribe } from "@/app/api/newsletter/subscribe/route";
import { readTwilioForm } from "@/lib/sms/twilio-callback";
import { makeSite } from "./helpers/factories";

let domain: string;
beforeAll(async () => {
  domain = (await makeSite()).domain;
});

/** A body sent without Content-Length (chunked) that never ends, counting what was read of it. */
function endless(chunk = 16_384) {
  const read = { bytes: 0 };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      read.bytes += chunk;
      controller.enqueue(new Uint8Array(chunk).fill(0x61));
    },
  });
  return { body, read };
}

const post = (url: string, body: BodyInit, headers: Record<string, string> = {}) =>
  new Request(url, { method: "POST", body, headers, duplex: "half" } as RequestInit);

describe("a request body read up to a limit", () => {
  it("stops at the first chunk past the limit of a body that never ends", async () => {
    const { body, read } = endless();
    expect(await limitedBytes(post("http://localhost/x", body), 100_000)).toBeNull();
    // Read until just past the limit, not on: request.text() would never have returned.
    expect(read.bytes).toBeLessThan(100_000 + 3 * 16_384);
  });

  it("gives a body within the limit whole, to the byte, as UTF-8 text", async () => {
    const text = "é".repeat(50); // 100 bytes
    expect(await limitedText(post("http://localhost/x", text), 100)).toBe(text);
    expect(await limitedText(post("http://localhost/x", `${text}a`), 100)).toBeNull();
    expect(await limitedText(new Request("http://localhost/x"), 100)).toBe("");
  });

  it("refuses a declared Content-Length over the limit before reading", async () => {
    const { body, read } = endless();
    expect(await limitedBytes(post("http://localhost/x", body, { "content-length": "200000" }), 100_000)).toBeNull();
    expect(read.bytes).toBeLessThanOrEqual(16_384); // at most what the stream queued on its own
  });

  it("the public signup endpoint refuses an endless body with 400, and Twilio's webhooks read no form from it", async () => {
    const signup = await subscribe(post("http://localhost/api/newsletter/subscribe", endless().body, { host: domain, "content-type": "application/x-www-form-urlencoded" }));
    expect(signup.status).toBe(400);
    expect((await signup.json()).error.key).toBe("errors.invalidBody");
    const multipart = await subscribe(post("http://localhost/api/newsletter/subscribe", endless().body, { host: domain, "content-type": "multipart/form-data; boundary=x" }));
    expect(multipart.status).toBe(400);
    // Twilio's webhooks read their form the same way (checked before the signature: no session there).
    expect(await readTwilioForm(post("http://localhost/api/sms/twilio/status", endless().body, { "content-type": "application/x-www-form-urlencoded" }))).toBeNull();
    expect(await readTwilioForm(post("http://localhost/api/sms/twilio/status", "MessageSid=SM1&MessageStatus=delivered", { "content-type": "application/x-www-form-urlencoded" }))).toEqual({ MessageSid: "SM1", MessageStatus: "delivered" });
  });
});
