import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { outboxSmsTransport } from "@/lib/sms/transport";

const dir = await mkdtemp(path.join(os.tmpdir(), "chora-sms-outbox-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("the embedded SMS outbox", () => {
  it("writes each SMS to <outbox>/<site>/<queue id>.sms.txt and answers with an id of its own", async () => {
    const transport = outboxSmsTransport(dir);
    const result = await transport.send({ to: "+33612345678", from: "Chora", text: "Meeting at 18:00 — bring a friend 🙂", siteId: 3, queueId: 41 });
    expect(result).toEqual({ providerMessageId: "outbox-sms-41" });
    expect(await readFile(path.join(dir, "3", "41.sms.txt"), "utf8")).toBe("From: Chora\nTo: +33612345678\n\nMeeting at 18:00 — bring a friend 🙂");
    // Another site's SMS goes to its own folder; the transport keeps no session to close.
    await transport.send({ to: "+32470123456", from: "", text: "Hi", siteId: 4, queueId: 42 });
    expect(await readFile(path.join(dir, "4", "42.sms.txt"), "utf8")).toBe("From: \nTo: +32470123456\n\nHi");
    expect(transport.listen).toBeUndefined();
    await transport.close();
  });
});
