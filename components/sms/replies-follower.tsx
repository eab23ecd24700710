"use client";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { focusIsLost } from "@/components/ui/focus";
import { usePolledJson } from "@/components/ui/use-polled-json";
import type { FollowedAnswer, RepliesNews } from "@/lib/sms/replies-follow";
import { answerBeingWritten } from "./answer-drafts";

/** One pace for both questions: a badge moves, and a reply shows, within 3 s. */
const EVERY_MS = 3000;

type Props = {
  /** The screen's own question (lib/sms/replies-follow.ts followUrl): its filters and `answers`; `since` is added here. */
  url: string;
  /** The newest reply when the page was rendered: news is what the filters keep past it. */
  since: number | null;
  /** The list's id: where "Show the newest" leaves the focus, its button gone with the news. */
  listId: string;
  /** The answers shown whose badge may still move, as shown. */
  answers: FollowedAnswer[];
  firstPage: boolean;
  /** Whether filters are set: the news then says it matches them. */
  filtered: boolean;
  newestHref: string;
};

/** What was last said: how many new replies (`n` counts the announcements). */
type Said = { count: number; more: boolean; n: number };

/**
 * Keeps the SMS replies screen current with one request every few seconds (app/api/sms/replies/
 * follow): the new replies its filters keep, and the status of the answers it shows on their way.
 *
 * The first page shows new replies by itself, except while an answer is being written there: the
 * newest on top would push the last rows off the page, the one being written with them. The news
 * then waits with a button that shows it, as it does on a later page (whose cursor keeps its rows
 * whatever arrives) with a link to the first. A badge that moved renders the page again, unless
 * new replies wait. Every arrival is announced: each adds a new line to the live region, which a
 * screen reader reads even when its words are the same as the last.
 */
export function RepliesFollower({ url, since, listId, answers, firstPage, filtered, newestHref }: Props) {
  const t = useTranslations("smsReplies");
  const router = useRouter();
  // A later page keeps its rows whatever arrives, so its news counts from the newest reply when it
  // was opened: rendered again (a badge moved, an answer was sent), it reads a newer `since`, but
  // the replies past the first one were never shown on it. The first page counts from each of its
  // renderings, which show the newest.
  const [opened, setOpened] = useState(since);
  if (firstPage && opened !== since) setOpened(since);
  const from = firstPage ? since : opened;
  const [news, setNews] = useState<{ since: number | null; newer: number; more: boolean; waiting: boolean; said: Said | null }>({ since: from, newer: 0, more: false, waiting: false, said: null });
  // Rendered again past the news (a refresh): counted afresh from there; what was said stays said.
  if (news.since !== from) setNews({ ...news, since: from, newer: 0, more: false, waiting: false });

  // "Show the newest" pressed: once the page shows them, its button is gone; a keyboard user
  // lands on the list that now starts with them, not on the page's top (WCAG 2.4.3).
  const showing = useRef(false);
  useEffect(() => {
    if (!showing.current || news.waiting) return;
    showing.current = false;
    if (focusIsLost()) document.getElementById(listId)?.focus();
  }, [news.waiting, from, listId]);

  const asked = `${url}${url.includes("?") ? "&" : "?"}since=${from ?? 0}`;
  usePolledJson<RepliesNews>(asked, { newer: 0, more: false, answers }, {
    pokeEvent: "sms-replies-poke",
    everyMs: EVERY_MS,
    onData: ({ newer, more, answers: now }) => {
      const moved = answers.some((a) => now.find((b) => b.id === a.id)?.status !== a.status);
      const waiting = newer > 0 && (!firstPage || answerBeingWritten());
      const grew = newer > news.newer || (more && !news.more);
      if (grew || waiting !== news.waiting || newer !== news.newer) {
        setNews({ since: from, newer, more, waiting, said: grew ? { count: newer, more, n: (news.said?.n ?? 0) + 1 } : news.said });
      }
      // A later page's rows stay where they are whatever arrives: it follows its badges only.
      if ((newer > 0 && firstPage) ? !waiting : moved) router.refresh();
    },
  });

  const said = news.said && t(filtered ? "arrivedMatching" : "arrived", { count: news.said.count, shown: news.said.more ? `${news.said.count}+` : String(news.said.count) });
  const shown = news.waiting && said;
  return (
    <p role="status" className={shown ? "mb-4 rounded-md bg-brand-50 px-3 py-2 text-sm text-brand-800" : "sr-only"}>
      {said && <span key={news.said!.n}>{said}</span>}
      {/* Outside the line that is replaced: a later arrival leaves the focus on it. */}
      {shown && " "}
      {shown &&
        (firstPage ? (
          <button
            type="button"
            onClick={() => {
              showing.current = true;
              router.refresh();
            }}
            className="font-medium underline"
          >
            {t("showNewest")}
          </button>
        ) : (
          <Link href={newestHref} className="font-medium underline">
            {t("showNewest")}
          </Link>
        ))}
    </p>
  );
}
