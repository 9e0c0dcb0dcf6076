// What comes back from Gemini, made honest before it reaches the client. Two facts drive this file:
// - Fetch implementations disagree on compressed bodies. Node's global fetch (undici) and workerd's fetch
//   decode gzip but keep the `Content-Encoding` header; the Node adapter's own upstream (node-fetch.ts) hands
//   over the bytes as sent. The proxy asks for `identity`, but a gateway may compress anyway (an error page,
//   typically). So bytes are decoded here when they really are compressed (judged by their magic bytes, not
//   by the header), and no upstream Content-Encoding or Content-Length is ever passed on.
// - An error in front of Gemini (a load balancer's HTML page) is not Gemini's error JSON: the client gets a
//   Gemini-shaped error with a sentence instead, never the page.
import * as z from 'zod';
import { geminiError, JSON_TYPE } from './errors.ts';
import type { ChunkReader, UpstreamResponse } from './context.ts';

type Format = 'gzip' | 'deflate';

/** The compression the header names, if the web-standard DecompressionStream can undo it. */
function namedFormat(headers: Pick<Headers, 'get'>): Format | null {
  const enc = headers.get('content-encoding')?.trim().toLowerCase();
  if (!enc || enc === 'identity') return null;
  if (enc === 'gzip' || enc === 'x-gzip') return 'gzip';
  if (enc === 'deflate') return 'deflate';
  return null;
}

/** True when `head` starts like a gzip member (1f 8b) or a zlib stream (deflate, header checksum). */
function looksCompressed(head: Uint8Array, format: Format): boolean {
  if (format === 'gzip') return head[0] === 0x1f && head[1] === 0x8b;
  return head.length >= 2 && (head[0]! & 0x0f) === 8 && ((head[0]! << 8) | head[1]!) % 31 === 0;
}

/**
 * The upstream body as bytes, decoded when it is really gzip or deflate. Throws when the bytes cannot be
 * read (connection lost) or claim a compression and fail to decode.
 */
export async function decodedBytes(res: UpstreamResponse): Promise<Uint8Array<ArrayBuffer>> {
  const bytes = new Uint8Array(await res.arrayBuffer());
  const format = namedFormat(res.headers);
  if (!format || !looksCompressed(bytes, format)) return bytes;
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream(format));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * The upstream body's chunks without a web stream, when the platform offers them (UpstreamResponse.chunks)
 * and no compression is named; otherwise undefined, and decodedStream is the way.
 */
export function decodedChunks(res: UpstreamResponse): ChunkReader | null | undefined {
  if (!res.chunks || namedFormat(res.headers)) return undefined;
  return res.chunks();
}

/**
 * The upstream body as a stream of decoded bytes. Costs nothing when no compression is named (Gemini's
 * normal answer); otherwise peeks at the first chunk and decodes only when it is really compressed.
 */
export function decodedStream(res: UpstreamResponse & { body: ReadableStream<Uint8Array> }): ReadableStream<Uint8Array> {
  const format = namedFormat(res.headers);
  if (!format) return res.body;
  const reader = res.body.getReader();
  let inner: ReadableStreamDefaultReader<Uint8Array> | null = null;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!inner) {
        const first = await reader.read();
        const rest = new ReadableStream<Uint8Array>({
          start(c) { if (first.done) c.close(); else c.enqueue(first.value); },
          async pull(c) { const r = await reader.read(); if (r.done) c.close(); else c.enqueue(r.value); },
          cancel(reason) { return reader.cancel(reason); },
        });
        const decoded = !first.done && looksCompressed(first.value, format)
          ? rest.pipeThrough(new DecompressionStream(format) as unknown as ReadableWritablePair<Uint8Array, Uint8Array>)
          : rest;
        inner = decoded.getReader();
      }
      const r = await inner.read();
      if (r.done) controller.close();
      else controller.enqueue(r.value);
    },
    cancel(reason) { return inner ? inner.cancel(reason) : reader.cancel(reason); },
  }, { highWaterMark: 0 });
}

/** Google's canonical status name for an HTTP code, as in its error JSON. */
export function statusName(code: number): string {
  const names: Record<number, string> = {
    400: 'INVALID_ARGUMENT', 401: 'UNAUTHENTICATED', 403: 'PERMISSION_DENIED', 404: 'NOT_FOUND', 409: 'ABORTED',
    413: 'INVALID_ARGUMENT', 429: 'RESOURCE_EXHAUSTED', 499: 'CANCELLED', 500: 'INTERNAL', 501: 'UNIMPLEMENTED',
    502: 'UNAVAILABLE', 503: 'UNAVAILABLE', 504: 'DEADLINE_EXCEEDED',
  };
  return names[code] ?? (code >= 500 ? 'UNAVAILABLE' : code >= 400 ? 'FAILED_PRECONDITION' : 'UNKNOWN');
}

/** Gemini's error body, `{"error":{"code","message","status","details"}}`; other fields pass through. */
const GeminiErrorBody = z.looseObject({
  error: z.looseObject({
    code: z.number().optional(),
    message: z.string(),
    status: z.string().optional(),
    details: z.array(z.unknown()).optional(),
  }),
});

function parseJson(text: string): unknown {
  try { return JSON.parse(text); } catch { return undefined; }
}

/**
 * Turns Gemini's refusal into the client's answer, as a Response with fresh headers (content type and
 * Retry-After only). Gemini's own error JSON passes through decoded; Google refusing the proxy's key becomes
 * a 502 naming GEMINI_API_KEY (the operator's problem, not the user's); anything else (an HTML page, an
 * unreadable or empty body) becomes Gemini-shaped error JSON with a sentence. A status that is not an error
 * (a redirect, say) becomes 502.
 */
export async function upstreamError(upstream: UpstreamResponse): Promise<Response> {
  const code = upstream.status >= 400 && upstream.status <= 599 ? upstream.status : 502;
  let text = '';
  let readable = true;
  try { text = new TextDecoder().decode(await decodedBytes(upstream)); } catch { readable = false; }
  if (upstream.status === 401 || upstream.status === 403 || text.includes('API_KEY_INVALID')) {
    return geminiError(502, 'UNAVAILABLE',
      `Gemini refused the proxy's API key (HTTP ${upstream.status}). The proxy operator must check GEMINI_API_KEY.`);
  }
  const headers: Record<string, string> = {};
  const retryAfter = upstream.headers.get('retry-after');
  if (retryAfter) headers['retry-after'] = retryAfter;
  if (readable && code === upstream.status && GeminiErrorBody.safeParse(parseJson(text)).success) {
    return new Response(text, { status: code, headers: { 'content-type': JSON_TYPE, ...headers } });
  }
  const what = !readable ? 'a body the proxy could not read'
    : text.trim() === '' ? 'an empty body'
    : `a ${(upstream.headers.get('content-type') ?? 'non-JSON').split(';')[0]!.trim() || 'non-JSON'} page`;
  const advice = code >= 500
    ? 'This usually means a gateway in front of Gemini is failing. Try again in a minute; if it persists, the operator should check the proxy\'s network.'
    : 'The operator should check GEMINI_BASE_URL and the network between the proxy and Gemini.';
  return geminiError(code, statusName(code),
    `Gemini's side answered HTTP ${upstream.status} with ${what} instead of an API error. ${advice}`, { headers });
}
