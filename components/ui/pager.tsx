import Link from "next/link";
import { getTranslations } from "next-intl/server";
import type { Keyset, KeysetPage } from "@/lib/paging";
import { pagePosition } from "@/lib/paging";

type PageLink<C> = Keyset<C> & { page?: number };

type Props<C extends string | number> = {
  /** The nav's accessible name, the list's own ("Pages of failed recipients"). */
  label: string;
  /** The list's URL with its filters, plus a cursor and page number (none: the first page). */
  href: (link: PageLink<C>) => string;
  page: Pick<KeysetPage<unknown, C>, "next" | "prev">;
  /** The `page=` number of the URL (lib/paging.ts pageNumber): a label only. */
  urlPage: number | undefined;
  /** How many pages there are, only where the list already knows its row count. */
  pages?: number | null;
};

const linkClass = "text-brand-700 underline";

/**
 * First / previous / position / next of a keyset-paginated list. The position travels in the
 * URL beside the cursor, since counting the rows before a cursor is a scan at a million rows;
 * the links carry it on, and nothing but this label depends on it.
 */
export async function Pager<C extends string | number>({ label, href, page, urlPage, pages }: Props<C>) {
  if (page.prev === null && page.next === null) return null;
  const t = await getTranslations("pager");
  const position = pagePosition(page, urlPage);
  // Page 1 is what a link without a number means: only numbers from 2 on are written.
  const numbered = (n: number | null) => (n !== null && n >= 2 ? n : undefined);
  const known = pages && position !== null && position <= pages ? pages : null;
  return (
    <nav aria-label={label} className="mt-4 flex flex-wrap items-baseline gap-4 text-sm">
      {page.prev !== null && <Link href={href({})} className={linkClass}>{t("first")}</Link>}
      {page.prev !== null && (
        <Link href={href({ before: page.prev, page: numbered(position && position - 1) })} rel="prev" className={linkClass}>
          {t("previous")}
        </Link>
      )}
      {position !== null && <span className="text-slate-600">{known ? t("pageOf", { page: position, pages: known }) : t("page", { page: position })}</span>}
      {page.next !== null && (
        <Link href={href({ after: page.next, page: numbered(position && position + 1) })} rel="next" className={linkClass}>
          {t("next")}
        </Link>
      )}
    </nav>
  );
}
