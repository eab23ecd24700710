import { isValidElement, type ReactElement, type ReactNode } from "react";

/**
 * next-intl/server as a server component rendered in a test reads it (it needs Next's request
 * otherwise): the English file's translations, dates in UTC. For
 * `vi.mock("next-intl/server", async () => (await import("../helpers/server-page")).englishIntlServer())`.
 */
export async function englishIntlServer() {
  const { createFormatter, createTranslator } = await import("next-intl");
  const messages = (await import("@/messages/en.json")).default;
  return {
    getLocale: async () => "en",
    getTranslations: async (namespace?: string) => createTranslator({ locale: "en", messages, namespace: namespace as never, onError: () => {} }),
    getFormatter: async () => createFormatter({ locale: "en", timeZone: "UTC" }),
  };
}

/** Depth-first search of a server component's element tree for the elements of one component. */
export function findAll<P>(node: ReactNode, type: unknown): ReactElement<P>[] {
  if (Array.isArray(node)) return node.flatMap((n) => findAll<P>(n, type));
  if (!isValidElement(node)) return [];
  const props = node.props as { children?: ReactNode };
  return [...(node.type === type ? [node as ReactElement<P>] : []), ...findAll<P>(props.children, type)];
}
