"use client";
import Link from "next/link";
import { useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { usePolledJson } from "@/components/ui/use-polled-json";

type Latest = { latest: number | null };

/**
 * Shows SMS replies as they arrive. It polls the site's newest reply id (one index step, however
 * many replies the site keeps); when it moves, the first page is rendered again (what a person is
 * typing in an answer stays), and a later page, whose rows would otherwise shift under the reader,
 * only says that newer replies came, with a link to them. Screen readers hear it either way.
 */
export function RepliesFollower({ initial, firstPage, newestHref }: { initial: number | null; firstPage: boolean; newestHref: string }) {
  const t = useTranslations("smsReplies");
  const router = useRouter();
  const seen = useRef(initial);
  const [arrived, setArrived] = useState(false);
  usePolledJson<Latest>("/api/sms/replies/latest", { latest: initial }, {
    pokeEvent: "sms-replies-poke",
    everyMs: 5000,
    onData: ({ latest }) => {
      if (latest === seen.current) return;
      seen.current = latest;
      setArrived(true);
      if (firstPage) router.refresh();
    },
  });
  if (firstPage) return <p role="status" className="sr-only">{arrived ? t("arrived") : ""}</p>;
  return (
    <p role="status" className={arrived ? "mb-4 rounded-md bg-brand-50 px-3 py-2 text-sm text-brand-800" : "sr-only"}>
      {arrived && (
        <>
          {t("arrived")}{" "}
          <Link href={newestHref} className="font-medium underline">
            {t("showNewest")}
          </Link>
        </>
      )}
    </p>
  );
}
