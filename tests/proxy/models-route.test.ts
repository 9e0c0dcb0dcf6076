// GET /{version}/models on the Node proxy: the stand-in Gemini's models.list, fetched with the real key, narrowed
// to PROXY_MODELS and to models that answer questions; read by the official SDK (`ai.models.list()`) and by the
// extension's listModels (lib/transport/models.ts).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, GoogleGenAI } from '@google/genai';
import { loadProxyConfig, startNodeProxy, type RunningProxy } from '../../proxy/node.ts';
import { startFakeGemini, type FakeGemini, type FakeModelInfo } from '../support/fake-gemini.ts';
import { DEFAULT_FAKE_MODELS } from '../support/fake-gemini-replay.ts';
import { baseEnv, EXT_ORIGIN, REAL_KEY, sdk, TOKEN } from './proxy-contract.ts';
import { clearModelListCache, listModels } from '../../lib/transport/models.ts';
import { toUserError } from '../../lib/core/answers/errors.ts';

let fake: FakeGemini;
let proxy: RunningProxy;
const ALLOWED = 'gemini-flash-latest,gemini-2.5-pro,gemini-embedding-001,gemini-3-flash-preview,gone-model';

beforeAll(async () => {
  fake = await startFakeGemini();
  proxy = await startNodeProxy(loadProxyConfig({ ...baseEnv(fake), PORT: '0', PROXY_MODELS: ALLOWED }));
});
afterAll(async () => {
  await proxy.close();
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  clearModelListCache();
});

const ids = async (url = proxy.url, token = TOKEN) => {
  const out: string[] = [];
  for await (const m of await sdk(url, token).models.list()) out.push(m.name ?? '');
  return out;
};

describe('models.list through the proxy', () => {
  it('lists the allowed models Gemini knows that answer questions, asking Gemini with the real key', async () => {
    expect((await ids()).sort()).toEqual(['models/gemini-2.5-pro', 'models/gemini-3-flash-preview', 'models/gemini-flash-latest']);
    const upstream = fake.requests.filter((r) => r.path.startsWith('/v1beta/models'));
    expect(upstream.length).toBe(1);
    expect(upstream[0]!.apiKey).toBe(REAL_KEY);
    expect(JSON.stringify(upstream[0]!.headers)).not.toContain(TOKEN);
  });

  it('follows Gemini\'s pages', async () => {
    const filler: FakeModelInfo[] = Array.from({ length: 1500 }, (_, i) => ({ name: `models/other-${i}`, supportedGenerationMethods: ['generateContent'] }));
    fake.setModels([...filler, ...DEFAULT_FAKE_MODELS]);
    expect(await ids()).toContain('models/gemini-2.5-pro');
    expect(fake.requests.filter((r) => r.path.startsWith('/v1beta/models')).length).toBe(2);
  });

  it('leaves the version of model calls alone (a second version-pattern route used to turn v1beta into v1)', async () => {
    const stream = await sdk(proxy.url).models.generateContentStream({ model: 'gemini-flash-latest', contents: 'hi' });
    for await (const _ of stream) void _;
    expect(fake.requests.at(-1)!.path).toBe('/v1beta/models/gemini-flash-latest:streamGenerateContent?alt=sse');
    const v1 = new GoogleGenAI({ apiKey: TOKEN, httpOptions: { baseUrl: proxy.url, apiVersion: 'v1' } });
    for await (const _ of await v1.models.list()) void _;
    expect(fake.requests.at(-1)!.path).toBe('/v1/models?pageSize=1000');
  });

  it('needs an access token', async () => {
    const err = await ids(proxy.url, 'wrong-token').then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(401);
    expect(fake.requests.length).toBe(0);
  });

  it('answers the extension\'s origin with CORS headers', async () => {
    const res = await fetch(`${proxy.url}/v1beta/models`, { headers: { origin: EXT_ORIGIN, 'x-goog-api-key': TOKEN } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(EXT_ORIGIN);
    const pre = await fetch(`${proxy.url}/v1beta/models`, { method: 'OPTIONS', headers: { origin: EXT_ORIGIN, 'access-control-request-method': 'GET' } });
    expect(pre.status).toBe(204);
  });

  it('a refused key is the operator\'s problem, not the token\'s', async () => {
    fake.setModels({ status: 400, body: { error: { code: 400, message: 'API key not valid. Please pass a valid API key.', status: 'INVALID_ARGUMENT', details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' }] } } });
    const err = await ids().then(() => null, (e: unknown) => e);
    expect((err as ApiError).status).toBe(502);
    expect(toUserError(err).kind).toBe('proxy-key');
  });

  it('an HTML page from upstream is not passed on', async () => {
    fake.setModels({ status: 502, headers: { 'content-type': 'text/html' }, body: '<html><body>Bad gateway</body></html>' });
    const res = await fetch(`${proxy.url}/v1beta/models`, { headers: { 'x-goog-api-key': TOKEN } });
    expect(res.status).toBe(502);
    expect(await res.text()).not.toContain('<html>');
  });
});

describe('listModels (the extension)', () => {
  const settings = () => ({ proxyUrl: proxy.url, accessToken: TOKEN });

  it('offers ids and display names, sorted', async () => {
    expect(await listModels(settings())).toEqual([
      { id: 'gemini-2.5-pro', label: 'Gemini 2.5 Pro' },
      { id: 'gemini-3-flash-preview', label: 'Gemini 3 Flash Preview' },
      { id: 'gemini-flash-latest', label: 'Gemini Flash Latest' },
    ]);
  });

  it('asks once an hour per proxy and token, and does not keep a failure', async () => {
    const t0 = 1_000_000;
    await listModels(settings(), t0);
    await listModels(settings(), t0 + 59 * 60_000);
    expect(fake.requests.length).toBe(1);
    await listModels(settings(), t0 + 61 * 60_000);
    expect(fake.requests.length).toBe(2);

    fake.setModels({ status: 503, body: { error: { code: 503, message: 'overloaded', status: 'UNAVAILABLE' } } });
    const other = { proxyUrl: proxy.url, accessToken: 'client-token-2' };
    await expect(listModels(other, t0)).rejects.toThrow();
    fake.reset();
    expect((await listModels(other, t0)).length).toBe(3);
  });
});
