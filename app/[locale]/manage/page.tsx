import { redirect } from "next/navigation";

export default async function ManageHome({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  redirect(`/${locale}/manage/users`);
}
