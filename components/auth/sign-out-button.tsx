import { getTranslations } from "next-intl/server";
import { signOutAction } from "@/app/[locale]/(public)/sign-in/actions";

export async function SignOutButton() {
  const t = await getTranslations("layout");
  return (
    // data-leaves-page: a form with unsaved changes asks first (components/ui/use-unsaved-changes.ts).
    <form action={signOutAction} data-leaves-page="">
      <button type="submit" className="rounded px-2 py-1 text-sm text-slate-700 hover:bg-slate-200">
        {t("signOut")}
      </button>
    </form>
  );
}
