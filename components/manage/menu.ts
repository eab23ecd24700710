import type { Requirement } from "@/lib/auth/roles";

export type MenuSection = { title: string; items: { label: string; href: string; role: Requirement }[] };

/**
 * The original product's left menu. Communications (Queue, Subscriptions, Message templates,
 * Events) joins here as each feature lands: an entry is listed only once its screen exists.
 */
export const manageMenu: MenuSection[] = [
  {
    title: "communications",
    items: [
      { label: "queue", href: "/manage/queue", role: "admin" },
      { label: "subscriptions", href: "/manage/subscriptions", role: "admin" },
      { label: "templates", href: "/manage/templates", role: "admin" },
      { label: "smsReplies", href: "/manage/sms-replies", role: "admin" },
    ],
  },
  { title: "users", items: [{ label: "users", href: "/manage/users", role: "admin" }] },
  { title: "sites", items: [{ label: "sites", href: "/manage/sites", role: "superuser" }] },
  { title: "interface", items: [{ label: "i18n", href: "/manage/i18n", role: "admin" }] },
];
