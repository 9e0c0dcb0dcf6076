/**
 * The proxy under abuse: thousands of generated malformed, oversized, wrongly-typed,
 * unauthenticated and path-trick requests — never a 5xx, never a crash, never an upstream call for a refused
 * request — then 200 concurrent streams for a minute (ABUSE_SOAK_S to change) with no error and a steady RSS.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { request } from 'node:http';
import { loadProxyConfig, startNodeProxy, type RunningProxy } from '../../proxy/node.ts';
import { startFakeGemini, type FakeGemini } from '../support/fake-gemini.ts';
import { baseEnv, EXT_ORIGIN, TOKEN } from './proxy-contract.ts';

let fake: FakeGemini;
let proxy: RunningProxy;

beforeAll(async () => {
  fake = await startFakeGemini();
  proxy = await startNodeProxy(loadProxyConfig({ ...baseEnv(fake), PORT: '0', PROXY_RPM: '1000000', PROXY_TOKENS_PER_DAY: '0' }));
});
afterAll(async () => {
  await proxy?.close();
  await fake?.close();
});

interface Sent { method: string; path: string; headers: Record<string, string>; body?: Buffer }

/** Raw node:http, so paths and headers go out exactly as generated (fetch would normalise them). */
function send(r: Sent): Promise<{ status: number; body: string }> {
  const url = new URL(proxy.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method: r.method, path: r.path, headers: r.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(r.body);
  });
}

const MODEL = 'gemini-flash-latest';
const good = (action = 'streamGenerateContent?alt=sse') => `/v1beta/models/${MODEL}:${action}`;
const json = (v: unknown) => Buffer.from(JSON.stringify(v));

/** Requests that must all be refused before any upstream call. */
const refused: fc.Arbitrary<Sent> = fc.oneof(
  // No token, or a wrong one, on an otherwise good request.
  fc.record({
    method: fc.constant('POST'),
    path: fc.constant(good()),
    headers: fc.option(fc.string({ maxLength: 40 }).filter((t) => t !== TOKEN && /^[\x21-\x7e]*$/.test(t)), { nil: undefined })
      .map((t): Record<string, string> => ({ 'content-type': 'application/json', ...(t ? { 'x-goog-api-key': t } : {}) })),
    body: fc.constant(json({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] })),
  }),
  // Path tricks and models off the allowlist.
  fc.record({
    method: fc.constant('POST'),
    path: fc.oneof(
      fc.constantFrom('../', '..%2f', '%2e%2e/', 'x/../', 'gemini-flash-latest/../x', '%2F', 'a%00b', 'gemini-pro-vision')
        .map((m) => `/v1beta/models/${m}:generateContent`),
      fc.string({ minLength: 1, maxLength: 30 }).filter((s) => /^[\x21-\x7e]+$/.test(s) && s !== MODEL && !s.includes('#') && !s.includes('?'))
        .map((m) => `/v1beta/models/${m}:streamGenerateContent`),
      fc.constantFrom('/v1beta/models', '/v1/models/x', '/v2/models/gemini-flash-latest:generateContent', '/admin', '//v1beta/models/gemini-flash-latest:generateContent',
        `/v1beta/models/${MODEL}:deleteEverything`, `/v1beta/models/${MODEL}`),
    ),
    headers: fc.constant({ 'content-type': 'application/json', 'x-goog-api-key': TOKEN }),
    body: fc.constant(json({ contents: [] })),
  }),
  // Bodies that are not JSON, not objects, or without a contents array.
  fc.record({
    method: fc.constant('POST'),
    path: fc.constant(good('generateContent')),
    headers: fc.constant({ 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }),
    body: fc.oneof(
      fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.concat([Buffer.from('{'), Buffer.from(b)])),
      fc.jsonValue().filter((v) => typeof v !== 'object' || v === null || Array.isArray(v) || !Array.isArray((v as { contents?: unknown }).contents)).map(json),
      fc.constantFrom('', 'null', '[]', '{"contents":{}}', '{"contents":"x"}', '{"contents":1}').map((s) => Buffer.from(s)),
    ),
  }),
  // Over the size limit (1 MB in these tests), declared or not.
  fc.record({
    method: fc.constant('POST'),
    path: fc.constant(good()),
    headers: fc.constant({ 'content-type': 'application/json', 'x-goog-api-key': TOKEN }),
    body: fc.integer({ min: 1_100_000, max: 1_600_000 }).map((n) => Buffer.concat([Buffer.from('{"contents":["'), Buffer.alloc(n, 97), Buffer.from('"]}')])),
  }),
  // Wrong methods.
  fc.record({
    method: fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH'),
    path: fc.constant(good()),
    headers: fc.constant({ 'x-goog-api-key': TOKEN, origin: EXT_ORIGIN }),
    body: fc.constant(undefined),
  }),
);

describe('proxy under abuse', () => {
  it('refuses thousands of bad requests with 4xx, without one upstream call', async () => {
    const counts = new Map<number, number>();
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(refused, async (r) => {
        const before = fake.requests.length;
        const res = await send(r);
        sent++;
        counts.set(res.status, (counts.get(res.status) ?? 0) + 1);
        expect(res.status, `${r.method} ${r.path} -> ${res.status} ${res.body.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        if (res.body) expect(() => JSON.parse(res.body)).not.toThrow();
        expect(fake.requests.length).toBe(before);
      }),
      { numRuns: 2500 },
    );
    console.log(`abuse: ${sent} refused requests, by status: ${[...counts].sort().map(([s, n]) => `${s}×${n}`).join(', ')}; upstream calls: 0`);
    // Still serving afterwards.
    const ok = await send({ method: 'GET', path: '/healthz', headers: {} });
    expect(ok.status).toBe(200);
  }, 300_000);

  it('serves 200 concurrent streams for a minute without an error, RSS steady', async () => {
    const seconds = Number(process.env.ABUSE_SOAK_S ?? 60);
    fake.respond(() => ({ text: ['one ', 'two ', 'three'], delayMs: 20 }));
    const body = json({ contents: [{ role: 'user', parts: [{ text: 'stream please' }] }] });
    const r: Sent = { method: 'POST', path: good(), headers: { 'content-type': 'application/json', 'x-goog-api-key': TOKEN }, body };
    let done = 0;
    let errors = 0;
    const rss: number[] = [];
    const deadline = Date.now() + seconds * 1000;
    const worker = async () => {
      while (Date.now() < deadline) {
        const res = await send(r).catch(() => ({ status: 0, body: '' }));
        if (res.status === 200 && res.body.includes('three')) done++;
        else errors++;
      }
    };
    // The stand-in records every request; emptied each second so its record does not count as the proxy's memory.
    const sampler = setInterval(() => {
      fake.requests.length = 0;
      rss.push(process.memoryUsage.rss() / 2 ** 20);
    }, 1000);
    await Promise.all(Array.from({ length: 200 }, worker));
    clearInterval(sampler);
    const settled = rss.slice(Math.floor(rss.length / 4));
    console.log(`abuse: ${done} streams completed by 200 concurrent clients in ${seconds} s, ${errors} errors; ` +
      `RSS (test process, proxy and stand-in upstream in it) ${settled[0]?.toFixed(0)} -> ${settled.at(-1)?.toFixed(0)} MB, max ${Math.max(...rss).toFixed(0)} MB`);
    expect(errors).toBe(0);
    expect(done).toBeGreaterThan(200);
    fake.reset();
  }, 300_000);
});
