/**
 * How far back a receipt looks for its row (and a later part's id for its message). SMSCs that
 * restart or wrap their numbering give old ids to new messages: a receipt speaks for the latest
 * SMS sent with its id, never for one from weeks ago that happened to get it too. Apart from
 * receipts.ts (no database here): the screens that follow a row or a send read it too, in the browser.
 */
export const RECEIPT_LOOKBACK_DAYS = 7;
