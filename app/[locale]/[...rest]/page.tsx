import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";

/**
 * Any path under a locale that no route claims (/fr/nope, /en/manage/nope). Without it Next
 * answers with its built-in English 404, outside the root layout (no lang, header or main);
 * notFound() here renders ../not-found.tsx inside it instead. Static and more specific routes
 * (every page, (public) and manage included, and /api) always win over a catch-all.
 */
export async function generateMetadata() {
  return { title: (await getTranslations("notFound"))("title") };
}

export default function UnknownPage(): never {
  notFound();
}
