import { OPTED_OUT_NOTE } from "@/lib/queue/notes";

/**
 * A row's error as a person reads it: a reason the queue writes itself is shown translated
 * (`queue.notes`), a transport's own text (an SMTP reply, an SMSC status) as it came.
 */
export const errorText = (notes: (key: "optedOut") => string, error: string): string => (error === OPTED_OUT_NOTE ? notes("optedOut") : error);
