// Ephemeral Live tokens minted by the proxy with the real key: narrowed to one use, 30 minutes,
// 60 s to start and an allowed model with every setup field locked; then used by the official SDK
// to open the constrained socket directly at the stand-in Live server, once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, GoogleGenAI, Modality } from '@google/genai';
import { loadProxyConfig, startNodeProxy, type RunningProxy } from '../../proxy/node.ts';
import { startFakeLive, type FakeLiveServer } from '../support/fake-live.ts';

const REAL_KEY = 'real-gemini-key-never-shown';
const TOKEN = 'client-token-1';
const MODEL = 'gemini-live-2.5-flash-preview';

const client = (base: string, apiKey: string) => new GoogleGenAI({ apiKey, httpOptions: { baseUrl: base, apiVersion: 'v1alpha' } });

describe('Live ephemeral tokens through the proxy', () => {
  let fake: FakeLiveServer;
  let proxy: RunningProxy;
  beforeAll(async () => {
    fake = await startFakeLive();
    proxy = await startNodeProxy(loadProxyConfig({
      GEMINI_API_KEY: REAL_KEY, PROXY_TOKENS: TOKEN, GEMINI_BASE_URL: fake.url, PORT: '0', PROXY_LOG: 'off',
    }));
  });
  afterAll(async () => { await proxy?.close(); await fake?.close(); });

  it('mints a one-use, short-lived, locked token with the real key, and the SDK opens the constrained socket with it once', async () => {
    const started = Date.now();
    const token = await client(proxy.url, TOKEN).authTokens.create({
      config: {
        uses: 5, // asks for more than the proxy gives
        expireTime: new Date(started + 20 * 3600_000).toISOString(),
        liveConnectConstraints: { model: MODEL, config: { responseModalities: [Modality.AUDIO], outputAudioTranscription: {} } },
        lockAdditionalFields: [],
      },
    });
    expect(token.name).toMatch(/^auth_tokens\//);
    expect(JSON.stringify(token)).not.toContain(REAL_KEY);
    // Where to open the socket: the Gemini endpoint the proxy forwards to (here the stand-in; Google's in production).
    expect(token).toMatchObject({ liveUrl: fake.url });
    const minted = fake.tokens.at(-1)!;
    expect(minted.apiKey).toBe(REAL_KEY);
    expect(minted.request).toMatchObject({ uses: 1, bidiGenerateContentSetup: { model: `models/${MODEL}` } });
    expect(minted.request).not.toHaveProperty('fieldMask'); // no mask: every field of the setup is locked
    expect(Date.parse(String(minted.request.expireTime)) - started).toBeLessThanOrEqual(30 * 60_000 + 1000);
    expect(Date.parse(String(minted.request.newSessionExpireTime)) - started).toBeLessThanOrEqual(61_000);

    const ai = client(fake.url, token.name!);
    const session = await ai.live.connect({ model: MODEL, config: { responseModalities: [Modality.AUDIO] }, callbacks: { onmessage: () => {} } });
    expect(fake.last).toMatchObject({ method: 'BidiGenerateContentConstrained', credentialKind: 'access_token', credential: token.name, version: 'v1alpha' });
    session.close();
    // One use: a reconnect needs a freshly minted token.
    await expect(ai.live.connect({ model: MODEL, config: {}, callbacks: { onmessage: () => {} } })).rejects.toThrow(/code 1008/);
  });

  it('refuses a model the proxy does not allow, a request without a setup, and a bad access token', async () => {
    const err = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as ApiError);
    const wrongModel = await err(client(proxy.url, TOKEN).authTokens.create({ config: { liveConnectConstraints: { model: 'gemini-x', config: {} } } }));
    expect(wrongModel).toBeInstanceOf(ApiError);
    expect(wrongModel?.status).toBe(403);
    expect(wrongModel?.message).toMatch(/not allowed on this proxy/);
    expect((await err(client(proxy.url, TOKEN).authTokens.create({ config: { uses: 1 } })))?.status).toBe(400);
    expect((await err(client(proxy.url, 'nope').authTokens.create({ config: { liveConnectConstraints: { model: MODEL } } })))?.status).toBe(401);
  });
});
