// nodemailer's SMTP pool on a thread of its own, driven by smtpTransport (lib/mail/transport.ts):
// each message arrives as { id, mail } and its outcome goes back as { id, messageId } or
// { id, error }; "close" ends the pool and the thread. Plain JavaScript, so that Node.js, tsx,
// Vitest and the Next.js server all load this file as it is.
import net from "node:net";
import { parentPort, workerData } from "node:worker_threads";
import nodemailer from "nodemailer";

const { options } = workerData;
const transporter = nodemailer.createTransport({
  ...options,
  // TCP_NODELAY: without it, Nagle's algorithm and delayed ACKs stall every pipelined command and
  // a loopback pool tops out near 110 messages/s instead of ~2,000. The socket is handed over
  // before it connects: a refused connection then fails through nodemailer's own error path,
  // which frees the pool slot (an error given to this callback leaks it).
  getSocket(_options, callback) {
    const socket = net.connect({ host: options.host, port: options.port });
    socket.setNoDelay(true);
    callback(null, { connection: socket });
  },
});

// Buffers cross threads as plain Uint8Arrays; nodemailer wants Buffers for attachment content.
const asBuffer = (content) => (content instanceof Uint8Array && !Buffer.isBuffer(content) ? Buffer.from(content.buffer, content.byteOffset, content.byteLength) : content);
const revive = (mail) => (mail.attachments ? { ...mail, attachments: mail.attachments.map((a) => ({ ...a, content: asBuffer(a.content) })) } : mail);

parentPort.on("message", (request) => {
  if (request === "close") {
    transporter.close();
    parentPort.close();
    return;
  }
  transporter.sendMail(revive(request.mail)).then(
    (info) => parentPort.postMessage({ id: request.id, messageId: info.messageId }),
    (error) =>
      parentPort.postMessage({
        id: request.id,
        error: { message: String(error?.message ?? error), code: error?.code, responseCode: error?.responseCode, response: error?.response, command: error?.command },
      }),
  );
});
