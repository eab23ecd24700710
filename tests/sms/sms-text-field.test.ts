import { describe, expect, it } from "vitest";
import { createElement, type ComponentProps } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { NextIntlClientProvider } from "next-intl";
import { SmsTextField } from "@/components/sms/sms-text-field";
import en from "@/messages/en.json";

/** The counter line under an SMS text box, as rendered. */
function counter(props: ComponentProps<typeof SmsTextField>) {
  const intl = { locale: "en", messages: en, timeZone: "UTC" } as unknown as ComponentProps<typeof NextIntlClientProvider>;
  const html = renderToStaticMarkup(createElement(NextIntlClientProvider, intl, createElement(SmsTextField, props)));
  return /data-testid="sms-count">(.*?)<\/p>/s.exec(html)![1].replace(/<[^>]+>/g, "");
}

describe("the SMS counter", () => {
  it("counts a template as its recipient gets it, and says so: not {{name}} with its two-unit braces", () => {
    const template = "Hi {{name|friend}}, market at 8.";
    // As typed, the four braces and the bar are GSM-7 extension characters: two units each.
    expect(counter({ name: "text", label: "SMS text", value: template })).toMatch(/^37 units/);
    expect(counter({ name: "text", label: "SMS text", value: template, sent: "Hi Camille Martin, market at 8." })).toBe(
      "31 units · 1 segment (GSM-7) · 129 units left in this segment (as the preview’s recipient gets it, placeholders filled)",
    );
    // Nothing to fill: counted as is, without the note.
    expect(counter({ name: "text", label: "SMS text", value: "Market at 8.", sent: "Market at 8." })).toBe("12 units · 1 segment (GSM-7) · 148 units left in this segment");
  });
});
