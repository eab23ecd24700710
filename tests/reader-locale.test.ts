import { describe, expect, it } from "vitest";
import { acceptedLocale, readerLocale } from "@/lib/i18n/reader-locale";

// The language of a page answered without a locale in its address (an unknown unsubscribe link).
describe("acceptedLocale (Accept-Language)", () => {
  it("takes the app's language with the highest weight", () => {
    expect(acceptedLocale("en-GB,fr;q=0.8")).toBe("en");
    expect(acceptedLocale("de-DE, fr;q=0.7, en;q=0.5")).toBe("fr");
    expect(acceptedLocale("de")).toBeNull();
  });

  it("reads the weight whatever its case, and q=0 as a refusal", () => {
    expect(acceptedLocale("fr;Q=0, en;q=0.5")).toBe("en");
    expect(acceptedLocale("fr;Q=0.2, en;Q=0.9")).toBe("en");
  });

  it("gives no preference to a weight that is not one, and never throws on odd input", () => {
    expect(acceptedLocale("fr;q=1e3, en;q=0.5")).toBe("en");
    expect(acceptedLocale("fr;q=Infinity, en;q=0.1")).toBe("en");
    for (const odd of [";", ",,,", "q=", "fr;q=NaN", "\u0000", "*", "fr;;;q", "-".repeat(5000)]) expect(() => acceptedLocale(odd)).not.toThrow();
  });

  it("prefers the language the reader last used here (the cookie)", () => {
    expect(readerLocale(new Headers({ cookie: "a=b; NEXT_LOCALE=fr", "accept-language": "en" }), "en")).toBe("fr");
    expect(readerLocale(new Headers({ "accept-language": "de" }), "fr")).toBe("fr");
  });
});
