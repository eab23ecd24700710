/**
 * A refused row's problems in the reader's words (`say`), one after the other: a row's address,
 * number, language and status are all checked, and all said at once. Apart from read.ts, which
 * the browser must not load (its phone metadata).
 */
export const problemsText = <P extends string>(problems: readonly P[], say: (problem: P) => string) => problems.map(say).join(" · ");
