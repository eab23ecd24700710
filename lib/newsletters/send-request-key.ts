/**
 * The one-time key a send confirmation carries, so that the same request arriving twice makes
 * one send. Shared by the send dialog (which draws it) and the action (which checks its shape).
 */
export const SEND_REQUEST_KEY = /^[0-9a-f]{32}$/;

/**
 * 128 random bits in hex. Not crypto.randomUUID: browsers only offer it on HTTPS and localhost,
 * and an installation reached over plain HTTP on its local network must still send once.
 */
export function newSendRequestKey() {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}
