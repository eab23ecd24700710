/** Ids of second and later parts of long messages, kept to recognise (and drop) their DELIVRD receipts. */
const MAX_PART_IDS = 10_000;

/** The later parts this transport sent, by id (each to its message's first part's id). */
export function laterParts() {
  const partOf = new Map<string, string>();
  return {
    /**
     * The SMSC took a part: `first` is null for a message's first part (or only one), else that
     * first part's id.
     */
    accepted(partId: string, first: string | null) {
      // A message's own id now (the SMSC restarted or wrapped its numbering): no longer a later
      // part of an earlier one, whose receipt never came; this message's receipt must go through.
      if (first === null) return void partOf.delete(partId);
      if (partOf.size >= MAX_PART_IDS) partOf.delete(partOf.keys().next().value!);
      partOf.set(partId, first);
    },
    /** Whether `id` is a later part this transport sent; forgotten now (its receipt came). */
    take(id: string): boolean {
      return partOf.delete(id);
    },
  };
}
