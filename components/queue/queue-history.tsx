import { getFormatter, getTranslations } from "next-intl/server";
import type { QueueStatus } from "@/db/schema";
import type { queueHistory } from "@/lib/queue/detail";
import { StatusBadge } from "./status-badge";

type Event = Awaited<ReturnType<typeof queueHistory>>[number];

/** `user:12`, `button:…`, `scheduler-send:…`, `cli-retry:…`, `lease-recovery` → a readable name. */
function actorKind(actor: string) {
  const label = actor.split(":")[0];
  if (label === "user") return "user";
  if (label === "button") return "button";
  if (label.startsWith("scheduler")) return "scheduler";
  if (label.startsWith("cli")) return "cli";
  if (label.startsWith("inngest")) return "inngest";
  if (label === "lease-recovery") return "leaseRecovery";
  return "other";
}

export async function QueueHistory({ events }: { events: Event[] }) {
  const t = await getTranslations("queue.history");
  const format = await getFormatter();
  if (events.length === 0) return <p className="text-sm text-slate-600">{t("empty")}</p>;
  return (
    <div className="overflow-x-auto rounded-lg bg-white shadow-sm">
      <table className="min-w-full text-sm">
        <caption className="sr-only">{t("caption")}</caption>
        <thead className="bg-slate-100 text-left text-slate-700">
          <tr>
            <th scope="col" className="px-3 py-2">{t("when")}</th>
            <th scope="col" className="px-3 py-2">{t("from")}</th>
            <th scope="col" className="px-3 py-2">{t("to")}</th>
            <th scope="col" className="px-3 py-2">{t("by")}</th>
            <th scope="col" className="px-3 py-2">{t("error")}</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => {
            const kind = actorKind(e.actor);
            return (
              <tr key={e.id} className="border-t border-slate-100 align-top">
                <td className="whitespace-nowrap px-3 py-2">{format.dateTime(e.at, { dateStyle: "short", timeStyle: "medium" })}</td>
                <td className="px-3 py-2">{e.fromStatus ? <StatusBadge status={e.fromStatus as QueueStatus} /> : "—"}</td>
                <td className="px-3 py-2"><StatusBadge status={e.toStatus as QueueStatus} /></td>
                <td className="px-3 py-2">
                  <span title={e.actor}>{kind === "user" ? (e.userName ?? t("actor.deletedUser")) : kind === "other" ? e.actor : t(`actor.${kind}`)}</span>
                </td>
                <td className="max-w-md break-words px-3 py-2 text-red-800">{e.error ?? ""}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
