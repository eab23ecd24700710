/**
 * The text of a CSV file as spreadsheets save it: UTF-8 (with or without its BOM), UTF-16 with
 * its BOM (Excel's "Unicode text", tab-separated), or, on Windows, Windows-1252 when the bytes
 * are not valid UTF-8. Pure, so the import screen runs it in the browser and tests run it here.
 */
export function csvFileText(buffer: ArrayBuffer): string {
  const head = new Uint8Array(buffer, 0, Math.min(2, buffer.byteLength));
  if (head[0] === 0xff && head[1] === 0xfe) return new TextDecoder("utf-16le").decode(buffer);
  if (head[0] === 0xfe && head[1] === 0xff) return new TextDecoder("utf-16be").decode(buffer);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(buffer);
  } catch {
    return new TextDecoder("windows-1252").decode(buffer);
  }
}
