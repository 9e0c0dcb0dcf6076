// "The proxy tells the client" (issue 10 item 4), run against every platform adapter: a 413 the client can
// read, upstream bodies decoded with honest headers, gateway pages turned into sentences, and the operator's
// caps on generation settings, tools and cached content.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { startFakeGemini, type FakeGemini } from '../support/fake-gemini.ts';
import { apiError, ask, baseEnv, MODEL, sdk, streamText, TOKEN, type ProxyTarget, type StartProxy } from './proxy-contract.ts';
import { describedText, rawPost, uploadThenRead } from './raw-client.ts';

const PATH = `/v1beta/models/${MODEL}:generateContent`;
const HEADERS = { 'x-goog-api-key': TOKEN, 'content-type': 'application/json' };
const ROUNDS = 20;

const post = (url: string, body: unknown) =>
  fetch(`${url}${PATH}`, { method: 'POST', headers: HEADERS, body: JSON.stringify(body) });

async function errorOf(res: Response): Promise<{ code: number; status: string; message: string }> {
  return ((await res.json()) as { error: { code: number; status: string; message: string } }).error;
}

const HTML = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>';

/**
 * Registers the suite for one platform: `start` starts that platform's proxy with the given settings (the
 * strings of .env or wrangler vars); each proxy is closed by the suite.
 */
export function describeProxyEdges(platform: string, start: StartProxy): void {
  describe(`the proxy tells the client, on ${platform}`, () => {
    let fake: FakeGemini;
    let proxy: ProxyTarget;
    beforeAll(async () => {
      fake = await startFakeGemini();
      proxy = await start(baseEnv(fake));
    });
    afterAll(async () => { await proxy?.close(); await fake?.close(); });
    beforeEach(() => fake.reset());

    it(`a body over PROXY_MAX_BODY_MB gets a 413 the client reads, ${ROUNDS} times in a row (SDK, and a client that uploads before it reads)`, async () => {
      const big = 'A'.repeat(1_500_000);
      for (let i = 0; i < ROUNDS; i++) {
        const err = await apiError(streamText(sdk(proxy.url), [{ role: 'user', parts: [{ inlineData: { mimeType: 'image/jpeg', data: big } }] }]));
        expect(err.status).toBe(413);
        expect(err.message).toContain('exceeds this proxy\'s limit of 1.0 MB (PROXY_MAX_BODY_MB)');
        for (const chunked of [false, true]) {
          const res = await uploadThenRead(proxy.url, PATH, HEADERS, 1_500_000, chunked);
          expect(res.error, `round ${i}${chunked ? ', chunked' : ''}`).toBeUndefined();
          expect(res.status).toBe(413);
          expect(JSON.parse(res.body).error.message).toMatch(/^The request body is 1\.4 MB and exceeds this proxy's limit of 1\.0 MB \(PROXY_MAX_BODY_MB\)\./);
        }
      }
      expect(fake.requests).toHaveLength(0);
      // Read to the end, the connection stays usable: the next request on a fresh client works.
      expect((await streamText(sdk(proxy.url), ask('still here?'))).join('')).toContain('still here?');
    }, 120_000);

    it('an upstream error sent gzip-compressed reaches the client as readable JSON with honest headers', async () => {
      const details = [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '30s' }];
      fake.respond(() => ({ status: 429, gzip: true, error: { message: 'Resource has been exhausted.', status: 'RESOURCE_EXHAUSTED', details } }));
      for (const acceptEncoding of ['identity', 'gzip, deflate, br']) {
        const res = await rawPost(proxy.url, PATH, { ...HEADERS, 'accept-encoding': acceptEncoding }, JSON.stringify({ contents: ask('zipped?') }));
        expect(res.status).toBe(429);
        expect(JSON.parse(describedText(res)).error).toMatchObject({ code: 429, status: 'RESOURCE_EXHAUSTED', details });
      }
      const err = await apiError(streamText(sdk(proxy.url), ask('zipped, SDK?')));
      expect(err.status).toBe(429);
      expect(err.message).toContain('Resource has been exhausted.');
    });

    it('a gzip-compressed answer, unary or streamed, arrives decoded', async () => {
      const answer = { candidates: [{ content: { role: 'model', parts: [{ text: 'from a zipped body' }] }, finishReason: 'STOP' }] };
      fake.respond(() => ({ status: 200, gzip: true, contentType: 'application/json; charset=UTF-8', raw: JSON.stringify(answer) }));
      expect((await sdk(proxy.url).models.generateContent({ model: MODEL, contents: ask('unary') as never })).text).toBe('from a zipped body');
      fake.respond(() => ({ status: 200, gzip: true, contentType: 'text/event-stream', raw: `data: ${JSON.stringify(answer)}\r\n\r\n` }));
      expect((await streamText(sdk(proxy.url), ask('stream'))).join('')).toBe('from a zipped body');
    });

    it('a gateway\'s HTML page (plain or gzip) becomes Gemini-shaped error JSON with a sentence, never the page', async () => {
      for (const gzip of [false, true]) {
        fake.respond(() => ({ status: 502, gzip, contentType: 'text/html', raw: HTML }));
        const res = await post(proxy.url, { contents: ask('html?') });
        expect(res.status).toBe(502);
        expect(res.headers.get('content-type')).toMatch(/^application\/json/);
        const err = await errorOf(res);
        expect(err).toMatchObject({ code: 502, status: 'UNAVAILABLE' });
        expect(err.message).toBe('Gemini\'s side answered HTTP 502 with a text/html page instead of an API error. This usually means ' +
          'a gateway in front of Gemini is failing. Try again in a minute; if it persists, the operator should check the proxy\'s network.');
        const sdkErr = await apiError(streamText(sdk(proxy.url), ask('html, SDK?')));
        expect(sdkErr.status).toBe(502);
        expect(sdkErr.message).not.toContain('<html');
      }
      fake.respond(() => ({ status: 404, contentType: 'text/html', raw: '<html>Not Found</html>' }));
      const notFound = await errorOf(await post(proxy.url, { contents: ask('404?') }));
      expect(notFound).toMatchObject({ code: 404, status: 'NOT_FOUND' });
      expect(notFound.message).toContain('GEMINI_BASE_URL');
      // A body that claims gzip and is not: a sentence, not a crash.
      fake.respond(() => ({ status: 500, contentType: 'application/json', headers: { 'content-encoding': 'gzip' }, raw: gzipSync('{"error":{}}').subarray(0, 12) }));
      const bad = await post(proxy.url, { contents: ask('garbled?') });
      expect(bad.status).toBe(500);
      expect((await errorOf(bad)).message).toContain('instead of an API error');
    });

    it('caps generation settings: maxOutputTokens and candidateCount over the cap are 400 with a sentence', async () => {
      const cases: [unknown, string][] = [
        [{ maxOutputTokens: 1e9 }, '"generationConfig.maxOutputTokens" is 1000000000, above this proxy\'s cap of 8192 (PROXY_MAX_OUTPUT_TOKENS).'],
        [{ max_output_tokens: 100_000 }, '"generationConfig.maxOutputTokens" is 100000, above this proxy\'s cap of 8192 (PROXY_MAX_OUTPUT_TOKENS).'],
        [{ candidateCount: 8 }, '"generationConfig.candidateCount" is 8, above this proxy\'s cap of 1 (PROXY_MAX_CANDIDATES). Ask for one answer.'],
      ];
      for (const [generationConfig, sentence] of cases) {
        const res = await post(proxy.url, { contents: ask('caps'), generationConfig });
        expect(res.status).toBe(400);
        const err = await errorOf(res);
        expect(err.status).toBe('INVALID_ARGUMENT');
        expect(err.message).toContain(sentence);
      }
      const sdkErr = await apiError(sdk(proxy.url).models.generateContent({ model: MODEL, contents: 'x', config: { maxOutputTokens: 50_000, candidateCount: 1 } }));
      expect(sdkErr.status).toBe(400);
      expect(fake.requests).toHaveLength(0);
    });

    it('refuses paid tools and cachedContent, allows function declarations, and Gemini gets the cap it was not asked for', async () => {
      for (const [body, sentence] of [
        [{ tools: [{ google_search: {} }] }, 'The tool "googleSearch" is not allowed on this proxy'],
        [{ tools: [{ functionDeclarations: [] }, { codeExecution: {} }] }, 'The tool "codeExecution" is not allowed'],
        [{ cachedContent: 'cachedContents/abc' }, '"cachedContent" is not allowed on this proxy'],
      ] as const) {
        const err = await errorOf(await post(proxy.url, { contents: ask('tools'), ...body }));
        expect(err.message).toContain(sentence);
      }
      expect(fake.requests).toHaveLength(0);
      const fn = { functionDeclarations: [{ name: 'get_time', description: 'The time', parameters: { type: 'OBJECT', properties: {} } }] };
      expect((await post(proxy.url, { contents: ask('fn'), tools: [fn], generationConfig: { temperature: 0.2, futureField: 1 } })).status).toBe(200);
      expect(fake.requests[0]!.body).toMatchObject({ tools: [fn], generationConfig: { temperature: 0.2, futureField: 1, maxOutputTokens: 8192 } });
      await streamText(sdk(proxy.url), ask('plain'));
      expect(fake.requests[1]!.body).toMatchObject({ generationConfig: { maxOutputTokens: 8192 }, contents: ask('plain') });
      await sdk(proxy.url).models.generateContent({ model: MODEL, contents: 'x', config: { maxOutputTokens: 100 } });
      expect(fake.requests[2]!.body).toMatchObject({ generationConfig: { maxOutputTokens: 100 } });
    });

    it('the operator widens or lifts the caps with settings', async () => {
      const open = await start(baseEnv(fake, {
        PROXY_MAX_OUTPUT_TOKENS: '0', PROXY_MAX_CANDIDATES: '2', PROXY_ALLOWED_TOOLS: 'google_search,urlContext',
        PROXY_ALLOW_CACHED_CONTENT: 'true', PROXY_DENIED_GENERATION_FIELDS: 'response_modalities',
      }));
      try {
        const body = { contents: ask('open'), generationConfig: { maxOutputTokens: 60_000, candidateCount: 2 },
          tools: [{ googleSearch: {} }, { url_context: {} }], cachedContent: 'cachedContents/abc' };
        expect((await post(open.url, body)).status).toBe(200);
        expect(fake.requests[0]!.body).toMatchObject({ generationConfig: { maxOutputTokens: 60_000 }, tools: [{ googleSearch: {} }, { urlContext: {} }] });
        await streamText(sdk(open.url), ask('no cap added'));
        expect(fake.requests[1]!.body).not.toHaveProperty('generationConfig.maxOutputTokens');
        const denied = await errorOf(await post(open.url, { contents: ask('x'), generationConfig: { responseModalities: ['AUDIO'] } }));
        expect(denied.message).toContain('"generationConfig.responseModalities" is not allowed on this proxy (PROXY_DENIED_GENERATION_FIELDS)');
      } finally { await open.close(); }
    });
  });
}
