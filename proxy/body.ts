// Reads a request body against PROXY_MAX_BODY_MB so that a refusal is one the client can read.
// Measured here (tests/proxy/body-limit.test.ts): a server that answers 413 before reading the body and then
// closes the connection resets it while the client is still uploading. A client that uploads before it
// reads (as a browser may) then sees EPIPE or ECONNRESET, never the 413: on workerd for every size tried
// (1.5 MB over a 1 MB limit), on Node for 30 MB (Node's http server discards the rest of a small body itself).
// So an oversized body is read and thrown away first, up to a bound, and answered only then.

const MB = 1024 * 1024;

/** Gemini's own limit for an inline request (100 MB since January 2026): no valid Gemini request is larger. */
export const GEMINI_MAX_REQUEST_BYTES = 100 * MB;

/**
 * How many bytes of an oversized body the proxy reads and discards before it answers 413: twice the limit,
 * and at least Gemini's own 100 MB, so that any body a Gemini client could mean to send gets a readable
 * answer. Beyond it the proxy answers at once and closes the connection (the client may see a reset).
 */
export function drainLimit(maxBodyBytes: number): number {
  return Math.max(2 * maxBodyBytes, GEMINI_MAX_REQUEST_BYTES);
}

/** What readBody found: the body within the limit, or how an oversized one was handled. */
export type BodyRead =
  | { ok: true; bytes: Uint8Array<ArrayBuffer> }
  /**
   * Over the limit. `size`: the body's length in bytes when known (declared, or counted to the end),
   * else null. `drained`: the whole body was read, so the connection can carry the answer and stay open.
   */
  | { ok: false; size: number | null; drained: boolean };

/** Reads a stream to its end, keeping at most `keep` bytes and counting at most `bound`; see readBody. */
async function consume(body: ReadableStream<Uint8Array>, keep: number, bound: number): Promise<BodyRead> {
  const parts: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > bound) {
      await reader.cancel().catch(() => {});
      return { ok: false, size: null, drained: false };
    }
    if (size <= keep) parts.push(value);
    else parts.length = 0; // over the limit: only counting from here on
  }
  if (size > keep) return { ok: false, size, drained: true };
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.byteLength; }
  return { ok: true, bytes: out };
}

/**
 * Reads `req`'s body if it is at most `max` bytes. A larger one (declared by Content-Length or found while
 * streaming) is read to its end and discarded when it is at most `bound` bytes, so the 413 that follows
 * reaches the client; a larger one still is left unread (`drained: false`: answer, then close). Never throws
 * for a body's size or shape; a connection lost mid-upload rejects (the client is gone, nobody reads an answer).
 */
export async function readBody(req: Request, max: number, bound = drainLimit(max)): Promise<BodyRead> {
  const header = req.headers.get('content-length');
  const declared = header === null || header.trim() === '' ? NaN : Number(header);
  if (Number.isFinite(declared)) {
    if (declared > bound) return { ok: false, size: declared, drained: false };
    if (declared > max) {
      const drained = req.body ? await consume(req.body, 0, bound) : null;
      return { ok: false, size: declared, drained: drained === null || (!drained.ok && drained.drained) };
    }
    // A declared length within the limit: one read (Node's adapter then skips web streams).
    return { ok: true, bytes: new Uint8Array(await req.arrayBuffer()) };
  }
  if (!req.body) return { ok: true, bytes: new Uint8Array(0) };
  return consume(req.body, max, bound);
}
