// nodemailer's SMTP pool on a thread of its own, driven by smtpTransport (lib/mail/transport.ts).
// Each message arrives built, as { id, message: { raw, envelope, messageId } }; its outcome goes
// back as { id, messageId } or { id, error }. "close" ends the pool and the thread once the sends
// in flight are answered. Plain JavaScript, so that Node.js, tsx, Vitest and the Next.js server
// all load this file as it is.
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

// Buffers cross threads as plain Uint8Arrays; nodemailer wants a Buffer (no copy is made).
const asBuffer = (bytes) => (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));

let inFlight = 0;
let closing = false;
// "close" ends the pool and the thread once every send it holds has been answered: closing at
// once would drop answers for messages the server may already have accepted.
const endWhenIdle = () => {
  if (closing && inFlight === 0) {
    transporter.close();
    parentPort.close();
  }
};

parentPort.on("message", (request) => {
  if (request === "close") {
    closing = true;
    endWhenIdle();
    return;
  }
  // The message comes built (buildMime in transport.ts): this thread signs and sends it.
  const { raw, envelope, messageId } = request.message;
  inFlight++;
  transporter
    .sendMail({ raw: asBuffer(raw), envelope, messageId })
    .then(
      () => parentPort.postMessage({ id: request.id, messageId }),
      (error) =>
        parentPort.postMessage({
          id: request.id,
          error: { message: String(error?.message ?? error), code: error?.code, responseCode: error?.responseCode, response: error?.response, command: error?.command },
        }),
    )
    .finally(() => {
      inFlight--;
      endWhenIdle();
    });
});
