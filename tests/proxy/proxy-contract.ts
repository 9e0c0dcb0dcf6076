// The proxy's behaviour as a client sees it, run against every platform adapter (Node, Workers).
// The official @google/genai SDK is the client; tests/support/fake-gemini.ts stands in for Google.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { request as httpRequest } from 'node:http';
import { ApiError, GoogleGenAI } from '@google/genai';
import { startFakeGemini, type FakeGemini } from '../support/fake-gemini.ts';

export interface ProxyTarget { url: string; close(): Promise<void> }
/** Starts the proxy with these settings (the strings a user would put in .env / wrangler vars). */
export type StartProxy = (env: Record<string, string>) => Promise<ProxyTarget>;

export const REAL_KEY = 'real-gemini-key-never-shown';
export const TOKEN = 'client-token-1';
export const EXT_ORIGIN = 'chrome-extension://bkejfokopdkhgjdimdaobdodlbpmmmfk';
/** A model on the default PROXY_MODELS list. */
export const MODEL = 'gemini-flash-latest';

export function baseEnv(fake: FakeGemini, extra: Record<string, string> = {}): Record<string, string> {
  return {
    GEMINI_API_KEY: REAL_KEY,
    PROXY_TOKENS: `${TOKEN},client-token-2`,
    GEMINI_BASE_URL: fake.url,
    PROXY_ALLOWED_ORIGINS: `${EXT_ORIGIN},moz-extension://*`,
    PROXY_MAX_BODY_MB: '1',
    PROXY_RPM: '1000',
    PROXY_LOG: 'off',
    ...extra,
  };
}

export const sdk = (url: string, apiKey = TOKEN) =>
  new GoogleGenAI({ apiKey, httpOptions: { baseUrl: url, apiVersion: 'v1beta' } });

/** One user turn: `images` tiny inline JPEG parts, then the question. */
export const ask = (question: string, images = 0) => [
  { role: 'user', parts: [...Array.from({ length: images }, () => ({ inlineData: { mimeType: 'image/jpeg', data: 'AAAA' } })), { text: question }] },
];

/** Streams an answer with the SDK; the text of each chunk, in order. Rejects with the SDK's ApiError. */
export async function streamText(ai: GoogleGenAI, contents: unknown, signal?: AbortSignal): Promise<string[]> {
  const stream = await ai.models.generateContentStream({ model: MODEL, contents: contents as never, config: { abortSignal: signal } });
  const out: string[] = [];
  for await (const chunk of stream) out.push(chunk.text ?? '');
  return out;
}

/** POSTs to a path exactly as written (no client-side normalisation of `..`). */
function rawPostStatus(base: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(base), { agent: false, method: 'POST', path, headers: { 'x-goog-api-key': TOKEN, 'content-type': 'application/json' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end(JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'x' }] }] }));
  });
}

/** Asserts `p` rejects with the SDK's ApiError and returns it. */
export async function apiError(p: Promise<unknown>): Promise<ApiError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}

export function describeProxyContract(platform: string, start: StartProxy): void {
  describe(`proxy on ${platform}`, () => {
    let fake: FakeGemini;
    let proxy: ProxyTarget;
    beforeAll(async () => {
      fake = await startFakeGemini();
      proxy = await start(baseEnv(fake));
    });
    afterAll(async () => { await proxy?.close(); await fake?.close(); });
    beforeEach(() => fake.reset());

    it('streams the answer through, chunk by chunk, with the real key swapped in', async () => {
      const chunks = await streamText(sdk(proxy.url), ask('What is on screen?', 2));
      expect(chunks.length).toBeGreaterThanOrEqual(3);
      expect(chunks.join('')).toBe('I see 2 image(s) and 0 earlier turn(s). You asked: What is on screen?');
      const rec = await fake.waitForRequest();
      expect(rec.apiKey).toBe(REAL_KEY);
      expect(JSON.stringify(rec.headers)).not.toContain(TOKEN);
      expect(rec.path).toBe(`/v1beta/models/${MODEL}:streamGenerateContent?alt=sse`);
    });

    it('accepts Authorization: Bearer, v1 paths, generateContent and countTokens', async () => {
      const res = await fetch(`${proxy.url}/v1/models/${MODEL}:generateContent`, {
        method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ contents: ask('Bearer?') }),
      });
      expect(res.status).toBe(200);
      const json = (await res.json()) as { candidates: { content: { parts: { text: string }[] } }[] };
      expect(json.candidates[0]!.content.parts[0]!.text).toContain('You asked: Bearer?');
      const unary = await sdk(proxy.url).models.generateContent({ model: MODEL, contents: ask('Unary?') as never });
      expect(unary.text).toContain('You asked: Unary?');
      const count = await sdk(proxy.url).models.countTokens({ model: MODEL, contents: ask('12345678', 1) as never });
      expect(count.totalTokens).toBe(258 + 2);
    });

    it('401 without a token or with a wrong one, and Google is never called', async () => {
      expect((await apiError(streamText(sdk(proxy.url, 'wrong-token'), ask('hi')))).status).toBe(401);
      const res = await fetch(`${proxy.url}/v1beta/models/${MODEL}:generateContent`, { method: 'POST', body: '{"contents":[]}' });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { status: string } }).error.status).toBe('UNAUTHENTICATED');
      expect(fake.requests).toHaveLength(0);
    });

    it('403 for a model not on the list, and names with /, .. or % never route elsewhere', async () => {
      const err = await apiError(sdk(proxy.url).models.generateContent({ model: 'gemini-ultra-9', contents: 'x' }));
      expect(err.status).toBe(403);
      expect(err.message).toContain('PROXY_MODELS');
      fake.reset();
      for (const sneaky of ['gemini-flash-latest%2F..%2F..%2Fother', '..%2Fgemini-flash-latest', 'gemini-flash-latest%3AgenerateContent']) {
        const res = await fetch(`${proxy.url}/v1beta/models/${sneaky}:generateContent`, {
          method: 'POST', headers: { 'x-goog-api-key': TOKEN }, body: JSON.stringify({ contents: ask('x') }),
        });
        expect([403, 404]).toContain(res.status);
      }
      // Sent raw: fetch would resolve the dots itself.
      for (const raw of ['/v1beta/models/../../upload/v1beta/files:generateContent', `/v1beta/models/${MODEL}/..%2F..%2Fcorpora:generateContent`]) {
        expect(await rawPostStatus(proxy.url, raw)).toBe(404);
      }
      expect(fake.requests).toHaveLength(0);
    });

    it('403 for a browser origin not on the list; listed origins get CORS headers and preflights', async () => {
      const body = JSON.stringify({ contents: ask('cors?') });
      const evil = await fetch(`${proxy.url}/v1beta/models/${MODEL}:generateContent`, {
        method: 'POST', headers: { origin: 'https://evil.example', 'x-goog-api-key': TOKEN }, body,
      });
      expect(evil.status).toBe(403);
      expect(evil.headers.get('access-control-allow-origin')).toBeNull();
      const pre = await fetch(`${proxy.url}/v1beta/models/${MODEL}:streamGenerateContent?alt=sse`, {
        method: 'OPTIONS',
        headers: { origin: EXT_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-goog-api-key,content-type,x-goog-api-client' },
      });
      expect(pre.status).toBe(204);
      expect(pre.headers.get('access-control-allow-origin')).toBe(EXT_ORIGIN);
      for (const h of ['x-goog-api-key', 'content-type', 'x-goog-api-client']) expect(pre.headers.get('access-control-allow-headers')).toContain(h);
      const moz = 'moz-extension://4b1c7e2a-1111-4222-8333-444455556666';
      const ok = await fetch(`${proxy.url}/v1beta/models/${MODEL}:generateContent`, {
        method: 'POST', headers: { origin: moz, 'x-goog-api-key': TOKEN }, body,
      });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('access-control-allow-origin')).toBe(moz);
      expect(fake.requests).toHaveLength(1);
    });

    it('413 for a body over PROXY_MAX_BODY_MB, declared or streamed, before any upstream call', async () => {
      const big = 'A'.repeat(1_500_000);
      const err = await apiError(streamText(sdk(proxy.url), [{ role: 'user', parts: [{ inlineData: { mimeType: 'image/jpeg', data: big } }, { text: 'big?' }] }]));
      expect(err.status).toBe(413);
      expect(err.message).toContain('PROXY_MAX_BODY_MB');
      const chunked = await fetch(`${proxy.url}/v1beta/models/${MODEL}:generateContent`, {
        method: 'POST', headers: { 'x-goog-api-key': TOKEN },
        body: new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode(big)); c.close(); } }),
        duplex: 'half',
      } as RequestInit);
      expect(chunked.status).toBe(413);
      expect(fake.requests).toHaveLength(0);
    });

    it('400 for a body that is not JSON or has no contents array', async () => {
      for (const body of ['{not json', '{"prompt":"hi"}']) {
        const res = await fetch(`${proxy.url}/v1beta/models/${MODEL}:generateContent`, { method: 'POST', headers: { 'x-goog-api-key': TOKEN }, body });
        expect(res.status).toBe(400);
        expect(((await res.json()) as { error: { status: string } }).error.status).toBe('INVALID_ARGUMENT');
      }
      expect(fake.requests).toHaveLength(0);
    });

    it('passes an upstream 429 on with its RetryInfo, and an upstream 500 as a 500', async () => {
      const details = [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '47s' }];
      fake.respond(() => ({ status: 429, error: { message: 'Resource has been exhausted (e.g. check quota).', status: 'RESOURCE_EXHAUSTED', details } }));
      const limited = await apiError(streamText(sdk(proxy.url), ask('hi')));
      expect(limited.status).toBe(429);
      expect(JSON.parse(limited.message).error.details).toEqual(details);
      fake.respond(() => ({ status: 500, error: { message: 'An internal error has occurred.', status: 'INTERNAL' } }));
      expect((await apiError(streamText(sdk(proxy.url), ask('hi')))).status).toBe(500);
    });

    it("reports Google refusing the proxy's own key as the operator's problem (502), not the client's", async () => {
      fake.respond(() => ({ status: 403, error: { message: 'API key not valid.', status: 'PERMISSION_DENIED' } }));
      const err = await apiError(streamText(sdk(proxy.url), ask('hi')));
      expect(err.status).toBe(502);
      expect(err.message).toContain('GEMINI_API_KEY');
    });

    it('turns a connection dropped mid-stream, and an error event, into Gemini errors the SDK raises', async () => {
      fake.respond(() => ({ text: ['one ', 'two ', 'three'], dropAfter: 2 }));
      const seen: string[] = [];
      const stream = await sdk(proxy.url).models.generateContentStream({ model: MODEL, contents: 'x' });
      const err = await (async () => { for await (const c of stream) seen.push(c.text ?? ''); })().catch((e: unknown) => e);
      expect(seen).toEqual(['one ', 'two ']);
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).status).toBe(502);
      fake.respond(() => ({ text: ['one ', 'two '], errorEventAfter: 1 }));
      expect((await apiError(streamText(sdk(proxy.url), ask('hi')))).status).toBe(500);
      // Still healthy afterwards.
      fake.reset();
      expect((await streamText(sdk(proxy.url), ask('still there?'))).join('')).toContain('still there?');
    });

    it('closes the upstream request as soon as the client aborts', async () => {
      fake.respond(() => ({ text: Array.from({ length: 100 }, (_, i) => `w${i} `), delayMs: 50 }));
      const controller = new AbortController();
      const stream = await sdk(proxy.url).models.generateContentStream({ model: MODEL, contents: 'x', config: { abortSignal: controller.signal } });
      for await (const _ of stream) { void _; controller.abort(); break; }
      const rec = await fake.waitForRequest();
      await expect.poll(() => rec.aborted, { timeout: 2000 }).toBe(true);
      const openStreams = async () => Number(/proxy_open_streams (\d+)/.exec(await (await fetch(`${proxy.url}/metrics`)).text())?.[1]);
      await expect.poll(openStreams, { timeout: 2000 }).toBe(0);
    });

    it('serves 50 concurrent streams, each with its own answer', async () => {
      const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => streamText(sdk(proxy.url), ask(`question ${i}`, i % 3))));
      answers.forEach((chunks, i) => expect(chunks.join('')).toBe(`I see ${i % 3} image(s) and 0 earlier turn(s). You asked: question ${i}`));
      expect(fake.requests).toHaveLength(50);
    });

    it('answers a person who opens its address in a browser with what it is and where to look', async () => {
      const res = await fetch(`${proxy.url}/`);
      expect(res.status).toBe(404);
      const { error } = (await res.json()) as { error: { status: string; message: string } };
      expect(error.status).toBe('NOT_FOUND');
      expect(error.message).toMatch(/^No route for GET \/\. This is Sightline's proxy: GET \/healthz says whether it runs/);
    });

    it('answers /healthz and exposes Prometheus /metrics with tokens from usageMetadata', async () => {
      expect(await (await fetch(`${proxy.url}/healthz`)).json()).toEqual({ ok: true });
      fake.respond(() => ({ text: ['a', 'b', 'c'], usage: { prompt: 1000, answer: 7 } }));
      await streamText(sdk(proxy.url), ask('count me'));
      const text = await (await fetch(`${proxy.url}/metrics`)).text();
      expect(text).toMatch(/proxy_requests_total\{route="streamGenerateContent",status="200"\} \d+/);
      expect(text).toMatch(/proxy_upstream_latency_seconds_count\{route="streamGenerateContent"\} \d+/);
      expect(Number(/proxy_prompt_tokens_total (\d+)/.exec(text)?.[1])).toBeGreaterThanOrEqual(1000);
      expect(text).toMatch(/proxy_open_streams 0/);
    });
  });

  describe(`proxy limits on ${platform}`, () => {
    let fake: FakeGemini;
    beforeAll(async () => { fake = await startFakeGemini(); });
    afterAll(() => fake?.close());

    it('429 with Retry-After and RetryInfo once a token passes its requests per minute', async () => {
      const proxy = await start(baseEnv(fake, { PROXY_RPM: '3' }));
      try {
        for (let i = 0; i < 3; i++) await streamText(sdk(proxy.url), ask(`q${i}`));
        const res = await fetch(`${proxy.url}/v1beta/models/${MODEL}:generateContent`, {
          method: 'POST', headers: { 'x-goog-api-key': TOKEN }, body: JSON.stringify({ contents: ask('one too many') }),
        });
        expect(res.status).toBe(429);
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
        const body = (await res.json()) as { error: { status: string; details: { '@type': string; retryDelay: string }[] } };
        expect(body.error.status).toBe('RESOURCE_EXHAUSTED');
        expect(body.error.details[0]).toMatchObject({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: expect.stringMatching(/^\d+s$/) });
        expect(fake.requests).toHaveLength(3);
        // Another token has its own allowance.
        expect((await streamText(sdk(proxy.url, 'client-token-2'), ask('other token'))).join('')).toContain('other token');
      } finally { await proxy.close(); fake.reset(); }
    });

    it('429 until midnight UTC once a token spends PROXY_TOKENS_PER_DAY', async () => {
      const proxy = await start(baseEnv(fake, { PROXY_TOKENS_PER_DAY: '100' }));
      try {
        fake.respond(() => ({ text: ['a', 'b', 'c'], usage: { prompt: 90, answer: 20 } }));
        await streamText(sdk(proxy.url), ask('spend'));
        const askRaw = () => fetch(`${proxy.url}/v1beta/models/${MODEL}:generateContent`, {
          method: 'POST', headers: { 'x-goog-api-key': TOKEN }, body: JSON.stringify({ contents: ask('again') }),
        });
        // The spend is recorded when the stream ends (on Workers in a Durable Object), so poll briefly.
        await expect.poll(async () => (await askRaw()).status, { timeout: 3000 }).toBe(429);
        const res = await askRaw();
        expect(res.status).toBe(429);
        const body = (await res.json()) as { error: { message: string; details: { retryDelay: string }[] } };
        expect(body.error.message).toContain('PROXY_TOKENS_PER_DAY');
        expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(Number(res.headers.get('retry-after'))).toBeLessThanOrEqual(86_400);
      } finally { await proxy.close(); fake.reset(); }
    });
  });
}
