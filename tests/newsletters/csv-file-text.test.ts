import { describe, expect, it } from "vitest";
import { csvFileText } from "@/lib/newsletters/csv-file-text";
import { readImport } from "@/lib/newsletters/import/read";

const bytes = (...parts: (number[] | Buffer)[]) => {
  const all = Buffer.concat(parts.map((p) => (Buffer.isBuffer(p) ? p : Buffer.from(p))));
  return all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer;
};
const text = "E-mail\tPrénom\tNom\r\nzoe@example.org\tZoé\tLefèvre\r\n";

describe("the text of an imported CSV file", () => {
  it("reads Excel's Unicode text (UTF-16 with its BOM), little- and big-endian", () => {
    const le = Buffer.from(text, "utf16le");
    expect(csvFileText(bytes([0xff, 0xfe], le))).toBe(text);
    const be = Buffer.from(le).swap16();
    expect(csvFileText(bytes([0xfe, 0xff], be))).toBe(text);
    // And the import reads it: tab-separated, with the accents.
    const { rows } = readImport(csvFileText(bytes([0xff, 0xfe], le)), "auto", "FR");
    expect(rows.map((r) => [r.email, r.name, r.problem])).toEqual([["zoe@example.org", "Zoé Lefèvre", null]]);
  });

  it("reads UTF-8 with or without a BOM, and Windows-1252 when the bytes are not UTF-8", () => {
    expect(csvFileText(bytes(Buffer.from(text, "utf8")))).toBe(text);
    expect(csvFileText(bytes([0xef, 0xbb, 0xbf], Buffer.from(text, "utf8")))).toBe(text);
    expect(csvFileText(bytes(Buffer.from(text, "latin1")))).toBe(text);
  });
});
