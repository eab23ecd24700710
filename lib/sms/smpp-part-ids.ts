import type smpp from "smpp";

/**
 * The ids an SMSC gave to the later parts of the long SMS a transport sent, so that their DELIVRD
 * receipts are dropped as they come (smpp-incoming.ts). Only a shortcut: the queue keeps the same
 * ids with the row (queue.provider_part_ids) and tells a later part's receipt by them in any
 * process (lib/queue/receipts.ts). So an id is trusted here only while it cannot name another
 * message: on the session it was given on, and for PART_ID_MS. An SMSC that restarts (its
 * sessions end) or wraps its numbering gives old ids to new messages, perhaps sent by another
 * process; such a message's DELIVRD, heard here, must reach the queue, which finds the latest
 * row with its id. Kept for good, as they once were, the ids of parts whose receipts were lost
 * in a restart made this transport drop those new messages' DELIVRD: their rows stayed `sent`.
 */

/**
 * Long enough for receipts an SMSC sends right behind its submit_sm_resp (before the runner has
 * recorded the row, when the queue could only keep them waiting); far shorter than an SMSC takes
 * to wrap its numbering. A later receipt goes to the queue, which drops it there.
 */
const PART_ID_MS = 10 * 60_000;
/** At most this many ids per session (the oldest go first). */
const MAX_PART_IDS = 10_000;

export function laterParts() {
  // Per session object: the ids of a session that ended go with it, never consulted again.
  const bySession = new WeakMap<smpp.Session, Map<string, number>>();
  return {
    /** The SMSC took a part on `session`: a message's first (or only) one, or a later one. */
    accepted(session: smpp.Session, partId: string, later: boolean) {
      let ids = bySession.get(session);
      if (!ids) bySession.set(session, (ids = new Map()));
      // A message's own id now (the SMSC wrapped its numbering): no longer a later part of an
      // earlier one, whose receipt never came; this message's receipt must go through.
      ids.delete(partId);
      if (!later) return;
      // Oldest first (insertion order): the expired, then any over the limit.
      const now = Date.now();
      for (const [id, at] of ids) {
        if (now - at < PART_ID_MS && ids.size < MAX_PART_IDS) break;
        ids.delete(id);
      }
      ids.set(partId, now);
    },
    /** Whether `id`, heard on `session`, is a later part it was given lately; forgotten now (its receipt came). */
    take(session: smpp.Session, id: string): boolean {
      const ids = bySession.get(session);
      const at = ids?.get(id);
      if (at === undefined) return false;
      ids!.delete(id);
      return Date.now() - at < PART_ID_MS;
    },
  };
}
