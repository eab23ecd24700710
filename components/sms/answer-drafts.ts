"use client";

/*
 * The answers being written on the SMS replies screen, shared by its answer forms (AnswerClient)
 * and the follower that renders the list again when replies arrive (RepliesFollower).
 */

/**
 * Marks an answer form that is open or keeps a draft. The follower does not render the first
 * page again while one is there: the newest reply on top would push the last rows off the page,
 * the one being written with them.
 */
export const BEING_WRITTEN = "data-answer-being-written";

export const answerBeingWritten = () => document.querySelector(`[${BEING_WRITTEN}]`) !== null;

/**
 * Drafts by reply id, for the tab's life: a row that still leaves the page (the person asked for
 * the newest, or sent another answer, while one was written near the bottom) finds its draft
 * again on the next page. Never on the server, where one module serves every visitor.
 */
const drafts = new Map<number, string>();

export const draftOf = (replyId: number) => (typeof window === "undefined" ? "" : (drafts.get(replyId) ?? ""));

export function keepDraft(replyId: number, text: string) {
  if (text.trim() === "") drafts.delete(replyId);
  else drafts.set(replyId, text);
}
