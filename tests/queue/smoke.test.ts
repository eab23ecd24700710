import { describe, expect, it, beforeAll, afterAll } from "vitest";
import { SMTPServer } from "smtp-server";
import { simpleParser } from "mailparser";
import { enqueue } from "@/lib/queue/enqueue";
import { runQueue } from "@/lib/queue/run";
import { smtpTransport } from "@/lib/mail/transport";
import { makeSite } from "../helpers/factories";

let server: SMTPServer;
let port = 0;
const received: { to: string[]; raw: string }[] = [];

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on("data", (c) => chunks.push(c));
      stream.on("end", () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString() });
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  port = (server.server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("queue smoke", () => {
  it("sends each recipient once through SMTP", async () => {
    const site = await makeSite();
    const { queued } = await enqueue({
      siteId: site.id,
      message: { kind: "test", subject: "Hello {{name}}", text: "Hi {{name}}", html: "<p>Hi {{name}}</p>", fromName: "Org", fromAddress: "org@example.org" },
      recipients: [{ address: "a@example.org", name: "Ann" }, { address: "b@example.org", name: "Bob" }, { address: "A@example.org" }],
    });
    expect(queued).toBe(2);
    const transport = smtpTransport(`smtp://127.0.0.1:${port}`, 2);
    const s = await runQueue({ kind: "send", siteId: site.id, runner: "t", transport });
    transport.close();
    expect(s.sent).toBe(2);
    expect(received.map((r) => r.to[0]).sort()).toEqual(["a@example.org", "b@example.org"]);
    const parsed = await simpleParser(received.find((r) => r.to[0] === "a@example.org")!.raw);
    expect(parsed.subject).toBe("Hello Ann");
  });
});
