import { useTranslations } from "next-intl";

/**
 * The message as this recipient gets it. The HTML is shown in an iframe with an empty sandbox
 * (no scripts, no same-origin, no forms, no top navigation) through srcdoc, so whatever a
 * template contains cannot reach this page or the session.
 */
export function MessagePreview(props: { headers: [string, string][]; text: string; html: string | null; attachments: { filename: string; contentType: string }[] }) {
  const t = useTranslations("queue.detail");
  return (
    <div className="space-y-6">
      {props.headers.length > 0 && (
        <section aria-labelledby="headers-title">
          <h2 id="headers-title" className="mb-2 text-lg font-semibold">{t("headers")}</h2>
          <div className="overflow-x-auto rounded-lg bg-white shadow-sm">
            <table className="min-w-full text-sm">
              <caption className="sr-only">{t("headers")}</caption>
              <tbody>
                {props.headers.map(([name, value], i) => (
                  <tr key={`${name}-${i}`} className="border-t border-slate-100 first:border-t-0">
                    <th scope="row" className="whitespace-nowrap px-3 py-1.5 text-left font-medium text-slate-600">{name}</th>
                    <td className="break-all px-3 py-1.5 font-mono text-xs">{value}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      )}
      {props.attachments.length > 0 && (
        <section aria-labelledby="attachments-title">
          <h2 id="attachments-title" className="mb-2 text-lg font-semibold">{t("attachments")}</h2>
          <ul className="list-inside list-disc text-sm">
            {props.attachments.map((a, i) => (
              <li key={i}>{a.filename} <span className="text-slate-500">({a.contentType})</span></li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="text-title">
        <h2 id="text-title" className="mb-2 text-lg font-semibold">{t("text")}</h2>
        {props.text ? (
          <pre className="max-h-96 overflow-auto whitespace-pre-wrap break-words rounded-lg bg-white p-4 text-sm shadow-sm">{props.text}</pre>
        ) : (
          <p className="text-sm text-slate-600">{t("noText")}</p>
        )}
      </section>
      <section aria-labelledby="html-title">
        <h2 id="html-title" className="mb-2 text-lg font-semibold">{t("html")}</h2>
        {props.html ? (
          <iframe sandbox="" srcDoc={props.html} title={t("htmlFrame")} referrerPolicy="no-referrer" className="h-[32rem] w-full rounded-lg border border-slate-200 bg-white" />
        ) : (
          <p className="text-sm text-slate-600">{t("noHtml")}</p>
        )}
      </section>
    </div>
  );
}
