import { describe, expect, it } from "vitest";
import { addedByNote, consentNote, importedByNote } from "@/lib/newsletters/consent-note";
import { translatorFor } from "@/lib/i18n/resolve";
import en from "@/messages/en.json";
import fr from "@/messages/fr.json";

describe("the consent record of an administrator's add or import", () => {
  it("is stored in fixed words and read back for the screen, in the reader's language", () => {
    const shown = (locale: "fr" | "en", text: string | null) => {
      const note = consentNote(text);
      return note ? translatorFor(locale, locale === "fr" ? fr : en)(`subscriptions.consent.${note.key}`, note.values) : text;
    };
    expect(shown("fr", addedByNote("boss@example.org"))).toBe("ajouté par boss@example.org");
    expect(shown("en", addedByNote("boss@example.org"))).toBe("added by boss@example.org");
    expect(shown("fr", importedByNote("boss@example.org", "members from 2025.csv"))).toBe("importé par boss@example.org depuis members from 2025.csv");
    expect(shown("fr", importedByNote("boss@example.org"))).toBe("importé par boss@example.org");
    // A signup's own consent text is the person's: shown as it is.
    expect(shown("fr", "J’accepte que Les Amis conserve mon adresse…")).toBe("J’accepte que Les Amis conserve mon adresse…");
    expect(shown("en", null)).toBeNull();
  });
});
