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
 * again on the next page. Never on the server, where one module serves every visitor. They are
 * the writer's only (a user id): signing out and in as someone else keeps the tab and this
 * module, and the next person must not find, nor send, the last one's words: they are forgotten
 * as soon as the screen shows an answer form to someone else.
 */
const drafts = new Map<number, string>();
let writtenBy: number | null = null;

function draftsOf(writer: number) {
  if (writer !== writtenBy) {
    drafts.clear();
    writtenBy = writer;
  }
  return drafts;
}

export const draftOf = (writer: number, replyId: number) => (typeof window === "undefined" ? "" : (draftsOf(writer).get(replyId) ?? ""));

export function keepDraft(writer: number, replyId: number, text: string) {
  if (text.trim() === "") draftsOf(writer).delete(replyId);
  else draftsOf(writer).set(replyId, text);
}
