// The two byte-level helpers under the contract tests: reading a body against the limit (body.ts) and
// decoding what the upstream sent (upstream.ts), on web-standard Requests and Responses.
import { describe, expect, it } from 'vitest';
import { deflateSync, gzipSync } from 'node:zlib';
import { drainLimit, readBody } from '../../proxy/body.ts';
import { decodedBytes, decodedStream, statusName, upstreamError } from '../../proxy/upstream.ts';

const MB = 1024 * 1024;
const streamOf = (chunks: number[]) => new ReadableStream<Uint8Array>({
  start(c) { for (const n of chunks) c.enqueue(new Uint8Array(n).fill(65)); c.close(); },
});
const post = (body: BodyInit, headers: Record<string, string> = {}) =>
  new Request('http://proxy/x', { method: 'POST', body, headers, duplex: 'half' } as RequestInit);

describe('readBody', () => {
  it('returns a body within the limit, declared or streamed', async () => {
    expect(await readBody(post('{"a":1}'), 100)).toEqual({ ok: true, bytes: new TextEncoder().encode('{"a":1}') });
    const streamed = await readBody(post(streamOf([40, 60])), 100);
    expect(streamed.ok && streamed.bytes.length).toBe(100);
  });

  it('reads an oversized body to its end before refusing, and counts a streamed one', async () => {
    const declared = post(new Uint8Array(300), { 'content-length': '300' });
    expect(await readBody(declared, 100)).toEqual({ ok: false, size: 300, drained: true });
    expect(declared.bodyUsed).toBe(true);
    expect(await readBody(post(streamOf([60, 60, 60])), 100)).toEqual({ ok: false, size: 180, drained: true });
  });

  it('leaves a body past the drain bound unread (the answer then closes the connection)', async () => {
    expect(await readBody(post(new Uint8Array(10), { 'content-length': String(500 * MB) }), MB)).toEqual({ ok: false, size: 500 * MB, drained: false });
    expect(await readBody(post(streamOf([60, 60, 60])), 50, 100)).toEqual({ ok: false, size: null, drained: false });
    expect(drainLimit(MB)).toBe(100 * MB);
    expect(drainLimit(80 * MB)).toBe(160 * MB);
  });
});

describe('upstream bodies', () => {
  const json = '{"error":{"code":500,"message":"boom","status":"INTERNAL"}}';
  const answer = (body: BodyInit | null, headers: Record<string, string>, status = 500) => new Response(body, { status, headers });

  it('decodes gzip and deflate only when the bytes really are compressed', async () => {
    const text = async (r: Response) => new TextDecoder().decode(await decodedBytes(r));
    expect(await text(answer(gzipSync(json), { 'content-encoding': 'gzip' }))).toBe(json);
    expect(await text(answer(deflateSync(json), { 'content-encoding': 'deflate' }))).toBe(json);
    // Already decoded by the fetch (undici, workerd) with the header kept: passed as is.
    expect(await text(answer(json, { 'content-encoding': 'gzip' }))).toBe(json);
    expect(await text(answer(json, { 'content-encoding': 'br' }))).toBe(json);
    await expect(decodedBytes(answer(gzipSync(json).subarray(0, 12), { 'content-encoding': 'gzip' }))).rejects.toThrow();
  });

  it('decodes a compressed stream chunk by chunk, and leaves an uncompressed one alone', async () => {
    const sse = 'data: {"candidates":[]}\r\n\r\n'.repeat(50);
    const z = gzipSync(sse);
    const chunked = new ReadableStream<Uint8Array>({ start(c) { for (let i = 0; i < z.length; i += 7) c.enqueue(z.subarray(i, i + 7)); c.close(); } });
    const res = answer(chunked, { 'content-encoding': 'gzip' }, 200) as Response & { body: ReadableStream<Uint8Array> };
    expect(await new Response(decodedStream(res)).text()).toBe(sse);
    const plain = answer(sse, {}, 200) as Response & { body: ReadableStream<Uint8Array> };
    expect(decodedStream(plain)).toBe(plain.body);
  });

  it('maps codes to Google status names and never passes a page or a redirect on', async () => {
    expect([400, 404, 429, 503, 504, 418, 599].map(statusName)).toEqual(
      ['INVALID_ARGUMENT', 'NOT_FOUND', 'RESOURCE_EXHAUSTED', 'UNAVAILABLE', 'DEADLINE_EXCEEDED', 'FAILED_PRECONDITION', 'UNAVAILABLE']);
    const redirect = await upstreamError(answer('<html>moved</html>', { 'content-type': 'text/html', location: 'https://elsewhere' }, 302));
    expect(redirect.status).toBe(502);
    expect(redirect.headers.get('location')).toBeNull();
    expect(((await redirect.json()) as { error: { message: string } }).error.message).toContain('HTTP 302 with a text/html page');
    const empty = await upstreamError(answer(null, {}, 503));
    expect(((await empty.json()) as { error: { message: string } }).error.message).toContain('HTTP 503 with an empty body');
    const keyRefused = await upstreamError(answer('{"error":{"code":400,"message":"x","status":"INVALID_ARGUMENT","details":[{"reason":"API_KEY_INVALID"}]}}', {}, 400));
    expect(keyRefused.status).toBe(502);
  });
});
