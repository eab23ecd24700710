/**
 * The HTML part of a plain-text email (account notices, signup confirmations): its paragraphs,
 * its links clickable. Account emails need no design, only to read well everywhere.
 */

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

// Links are found in the text as written, before escaping (an escaped "&gt;" would end up in them).
const URL = /https?:\/\/[^\s<>"]+/g;
// What a sentence puts after a link ("…: {url}.", "({url})", "« {url} »"), never the end of ours.
const TRAILING = /[.,;:!?'’"»)\]]+$/;

/** A URL as typed, less the punctuation a sentence put after it (a ")" it opened itself stays). */
function linkPart(url: string): string {
  const trailing = TRAILING.exec(url)?.[0] ?? "";
  let link = url.slice(0, url.length - trailing.length);
  for (const c of trailing) {
    if (c === ")" && (link.match(/\(/g)?.length ?? 0) > (link.match(/\)/g)?.length ?? 0)) link += c;
    else break;
  }
  return link;
}

function paragraphHtml(text: string): string {
  let out = "";
  let last = 0;
  for (const match of text.matchAll(URL)) {
    const link = linkPart(match[0]);
    out += escapeHtml(text.slice(last, match.index)) + `<a href="${escapeHtml(link)}">${escapeHtml(link)}</a>`;
    last = match.index + link.length;
  }
  return (out + escapeHtml(text.slice(last))).replace(/\n/g, "<br>");
}

/** A whole document, in `lang`: blank lines make paragraphs, line breaks stay. */
export function plainTextToHtml(text: string, lang: string): string {
  // A label edited in a browser's textarea comes with CRLF line ends.
  const paragraphs = text.replace(/\r\n?/g, "\n").trim().split(/\n{2,}/);
  const body = paragraphs.map((p) => `<p>${paragraphHtml(p)}</p>`).join("");
  return `<!doctype html><html lang="${escapeHtml(lang)}"><head><meta charset="utf-8"></head><body style="font-family:sans-serif;line-height:1.5">${body}</body></html>`;
}
