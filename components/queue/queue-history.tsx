import { getFormatter, getTranslations } from "next-intl/server";
import { DataTable } from "@/components/ui/data-table";
import { DayAndTime } from "@/components/ui/day-and-time";
import type { QueueStatus } from "@/db/schema";
import type { queueHistory } from "@/lib/queue/detail";
import { DEFERRED_NOTE } from "@/lib/queue/notes";
import { StatusBadge } from "./status-badge";
import { errorText } from "./error-text";
import { ErrorLines } from "./error-lines";

type Event = Awaited<ReturnType<typeof queueHistory>>[number];

/** `user:12`, `button:…`, `scheduler-send:…`, `cli-retry:…`, `lease-recovery`, `smpp`, `twilio` (receipts) → a readable name. */
function actorKind(actor: string) {
  const label = actor.split(":")[0];
  // A receipt's change (lib/sms/resolve.ts, lib/sms/twilio-callback.ts) was shown as the bare "smpp".
  if (label === "smpp") return "smppReceipt";
  if (label === "twilio") return "twilioReceipt";
  if (label === "user") return "user";
  if (label === "button") return "button";
  if (label.startsWith("scheduler")) return "scheduler";
  if (label.startsWith("cli")) return "cli";
  if (label.startsWith("inngest")) return "inngest";
  if (label === "lease-recovery") return "leaseRecovery";
  return "other";
}

export async function QueueHistory({ events }: { events: Event[] }) {
  const [t, tfail] = await Promise.all([getTranslations("queue.history"), getTranslations("queue.failure")]);
  const format = await getFormatter();
  if (events.length === 0) return <p className="text-sm text-slate-600">{t("empty")}</p>;
  return (
    <DataTable
      dated
      caption={t("caption")}
      // Where the box is narrow (a phone) "From" goes (it is the line above's "To") and "By" is a
      // line under the time, so that the error keeps a readable width.
      columns={[
        { label: t("when") },
        { label: t("from"), className: "hidden @xl:table-cell" },
        { label: t("to") },
        { label: t("by"), className: "hidden @xl:table-cell" },
        { label: t("error") },
      ]}
    >
      {events.map((e) => {
        const kind = actorKind(e.actor);
        const by = <span title={e.actor}>{kind === "user" ? (e.userName ?? t("actor.deletedUser")) : kind === "other" ? e.actor : t(`actor.${kind}`)}</span>;
        return (
          <tr key={e.id} className="border-t border-slate-100 align-top">
            <td className="px-3 py-2">
              <DayAndTime text={format.dateTime(e.at, { dateStyle: "medium", timeStyle: "medium" })} day={format.dateTime(e.at, { dateStyle: "medium" })} />
              <span className="block text-xs text-slate-600 wrap-anywhere @xl:hidden">{by}</span>
            </td>
            <td className="hidden px-3 py-2 @xl:table-cell">{e.fromStatus ? <StatusBadge status={e.fromStatus as QueueStatus} /> : "—"}</td>
            <td className="px-3 py-2"><StatusBadge status={e.toStatus as QueueStatus} /></td>
            <td className="hidden px-3 py-2 @xl:table-cell">{by}</td>
            {e.error === DEFERRED_NOTE ? (
              <td className="max-w-md px-3 py-2 wrap-anywhere text-slate-700">{t("deferred")}</td>
            ) : (
              <td className="max-w-md px-3 py-2 wrap-anywhere text-red-800">{e.error ? <ErrorLines error={errorText(tfail, e.error)} /> : ""}</td>
            )}
          </tr>
        );
      })}
    </DataTable>
  );
}
