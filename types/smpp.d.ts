// Minimal types for the `smpp` package (0.5.x ships none): only what lib/sms/smpp*.ts and the
// test SMSC (tests/helpers/smsc.ts) use. PDU fields are the SMPP v5.0 parameter names.
declare module "smpp" {
  import type { EventEmitter } from "node:events";
  import type { Server as NetServer, Socket } from "node:net";

  namespace smpp {
    type PduFields = Record<string, unknown>;
    type ResponseCallback = (pdu: PDU) => void;

    class PDU {
      constructor(command: string, options?: PduFields);
      /** A PDU read from its octets (decoded as a session decodes what it hears); false when they are short. */
      static fromBuffer(buffer: Buffer): PDU | false;
      command: string;
      command_id: number;
      command_status: number;
      sequence_number: number;
      /** Body parameters and TLVs, decoded (`short_message` becomes `{ udh?: Buffer[]; message }`). */
      [field: string]: unknown;
      isResponse(): boolean;
      response(options?: PduFields): PDU;
      /** The PDU as it goes on the wire. */
      toBuffer(): Buffer;
    }

    interface Session extends EventEmitter {
      socket: Socket;
      /** False (and nothing sent) when the socket is no longer writable. */
      send(pdu: PDU, responseCallback?: ResponseCallback, sendCallback?: ResponseCallback): boolean;
      close(callback?: () => void): void;
      destroy(callback?: () => void): void;
      pause(): void;
      resume(): void;
      bind_transceiver(options: PduFields, responseCallback?: ResponseCallback): boolean;
      submit_sm(options: PduFields, responseCallback?: ResponseCallback): boolean;
      deliver_sm(options: PduFields, responseCallback?: ResponseCallback): boolean;
      enquire_link(options?: PduFields, responseCallback?: ResponseCallback): boolean;
      unbind(responseCallback?: ResponseCallback): boolean;
    }

    interface Server extends NetServer {
      sessions: Session[];
    }

    interface ConnectOptions {
      host?: string;
      port?: number;
      tls?: boolean;
      /** Sends enquire_link every so many milliseconds once connected. */
      auto_enquire_link_period?: number;
      [option: string]: unknown;
    }

    interface Encoding {
      match(value: string): boolean;
      encode(value: string): Buffer;
      decode(value: Buffer): string;
    }

    function connect(options: ConnectOptions, listener?: () => void): Session;
    function createServer(listener?: (session: Session) => void): Server;
    function createServer(options: Record<string, unknown>, listener?: (session: Session) => void): Server;

    /** ESME_* command_status names → codes. */
    const errors: Record<string, number>;
    /** ASCII is GSM 03.38 (one septet per octet, unpacked), UCS2 is UTF-16BE. */
    const encodings: { ASCII: Encoding; LATIN1: Encoding; UCS2: Encoding; default: string };
    /** Field filters; `message` decodes short_message and message_payload as a PDU is read (`this` is the PDU). */
    const filters: { message: { encode(this: PDU, value: unknown): unknown; decode(this: PDU, value: unknown, skipUdh?: boolean): unknown } };
  }

  export = smpp;
}
