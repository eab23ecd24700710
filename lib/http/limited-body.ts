/**
 * A request's body read up to `max` bytes, or null past that (or unreadable). A Content-Length
 * over the limit is refused before reading; a body sent without one (chunked) is counted as it
 * comes and dropped at the first byte too many, so no anonymous caller makes a route hold more
 * than `max` in memory (request.text() would read any size, then be checked).
 */
export async function limitedBytes(request: Request, max: number): Promise<Uint8Array<ArrayBuffer> | null> {
  if (Number(request.headers.get("content-length") ?? 0) > max) return null;
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > max) {
        await reader.cancel().catch(() => {});
        return null;
      }
      chunks.push(value);
    }
  } catch {
    return null;
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return body;
}

/** The same, as UTF-8 text (invalid sequences become U+FFFD, as request.text() does). */
export async function limitedText(request: Request, max: number): Promise<string | null> {
  const bytes = await limitedBytes(request, max);
  return bytes === null ? null : new TextDecoder().decode(bytes);
}
