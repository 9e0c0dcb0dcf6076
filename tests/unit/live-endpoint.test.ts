// Which endpoint and credential each Live connection uses (lib/live/endpoint.ts): the proxy relay with the access
// token by default; with `direct`, a one-use token minted at the proxy for that connection's setup, opened at the
// Gemini endpoint the proxy names (Google's when it names none); mint failures in sentences, fatal or retried.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GOOGLE_API_URL, liveEndpoint, mintLiveToken, type EndpointChoice, type LiveEndpoint } from '../../lib/live/endpoint.ts';
import { liveConfig } from '../../lib/live/transport.ts';

const CHOICE: EndpointChoice = { proxyUrl: 'http://127.0.0.1:8787', accessToken: 'access-1', model: 'gemini-live-x' };

/** Stubs fetch with one JSON answer per call; returns the requests it saw. */
function answer(...replies: Array<{ status: number; body: unknown } | Error>) {
  const seen: { url: string; headers: Headers; body: Record<string, unknown> }[] = [];
  vi.stubGlobal('fetch', async (input: string | URL | Request, init?: RequestInit) => {
    seen.push({ url: String(input instanceof Request ? input.url : input), headers: new Headers(init?.headers), body: JSON.parse(String(init?.body ?? '{}')) as Record<string, unknown> });
    const next = replies.shift() ?? { status: 500, body: {} };
    if (next instanceof Error) throw next;
    return new Response(JSON.stringify(next.body), { status: next.status, headers: { 'content-type': 'application/json' } });
  });
  return seen;
}

afterEach(() => vi.unstubAllGlobals());

describe('the Live endpoint of each connection', () => {
  it('goes through the proxy relay with the access token by default, minting nothing', async () => {
    const mint = vi.fn<(c: EndpointChoice) => Promise<LiveEndpoint>>();
    const endpoint = liveEndpoint(CHOICE, mint);
    const config = liveConfig({}, { handle: null, summary: null });
    expect(await endpoint(config)).toEqual({ baseUrl: CHOICE.proxyUrl, apiVersion: 'v1beta', apiKey: 'access-1' });
    expect(await endpoint(config)).toEqual({ baseUrl: CHOICE.proxyUrl, apiVersion: 'v1beta', apiKey: 'access-1' });
    expect(mint).not.toHaveBeenCalled();
  });

  it('with direct on, mints a new token for every connection, locked to that connection\'s setup', async () => {
    let n = 0;
    const mint = vi.fn(async () => ({ baseUrl: 'https://gemini.example', apiVersion: 'v1alpha', apiKey: `auth_tokens/t${++n}` }));
    const endpoint = liveEndpoint({ ...CHOICE, direct: true }, mint);
    const first = liveConfig({}, { handle: null, summary: null });
    const resumed = liveConfig({}, { handle: 'handle-7', summary: null });
    expect((await endpoint(first)).apiKey).toBe('auth_tokens/t1');
    expect((await endpoint(resumed)).apiKey).toBe('auth_tokens/t2'); // a reconnect never reuses a token
    expect(mint.mock.calls.map((c) => c.at(1))).toEqual([first, resumed]);
  });

  it('mints at {proxy}/v1alpha/auth_tokens with the access token and opens where the proxy says, v1alpha', async () => {
    const seen = answer({ status: 200, body: { name: 'auth_tokens/abc', liveUrl: 'http://127.0.0.1:9999/' } });
    const config = liveConfig({}, { handle: 'handle-3', summary: null });
    expect(await mintLiveToken(CHOICE, config)).toEqual({ baseUrl: 'http://127.0.0.1:9999', apiVersion: 'v1alpha', apiKey: 'auth_tokens/abc' });
    expect(seen[0]!.url).toBe(`${CHOICE.proxyUrl}/v1alpha/auth_tokens`);
    expect(seen[0]!.headers.get('x-goog-api-key')).toBe('access-1');
    expect(seen[0]!.body).toMatchObject({ uses: 1, bidiGenerateContentSetup: { model: 'models/gemini-live-x', sessionResumption: { handle: 'handle-3' } } });
    expect(seen[0]!.body).not.toHaveProperty('fieldMask'); // every field of the setup locked
  });

  it('opens at Google when the proxy does not name an endpoint (or names something that is not a URL)', async () => {
    answer({ status: 200, body: { name: 'auth_tokens/a' } }, { status: 200, body: { name: 'auth_tokens/b', liveUrl: 'javascript:alert(1)' } });
    expect((await mintLiveToken(CHOICE, {})).baseUrl).toBe(GOOGLE_API_URL);
    expect((await mintLiveToken(CHOICE, {})).baseUrl).toBe(GOOGLE_API_URL);
  });

  it('says why a mint failed: refused access token, no token route, refusal, network; retries only what may pass', async () => {
    const fail = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as Error & { fatal: boolean });
    answer(
      { status: 401, body: { error: { code: 401, message: 'Unknown access token.', status: 'UNAUTHENTICATED' } } },
      { status: 404, body: { error: { code: 404, message: 'Not found.', status: 'NOT_FOUND' } } },
      { status: 403, body: { error: { code: 403, message: 'Model "x" is not allowed on this proxy.', status: 'PERMISSION_DENIED' } } },
      { status: 502, body: { error: { code: 502, message: 'The proxy could not reach Gemini to mint a Live token.', status: 'UNAVAILABLE' } } },
      new TypeError('fetch failed'),
      { status: 200, body: { nothing: true } },
    );
    const refused = await fail(mintLiveToken(CHOICE, {}));
    expect(refused).toMatchObject({ fatal: true, message: expect.stringMatching(/proxy refused the access token.*Check the access token in Settings/) });
    const missing = await fail(mintLiveToken(CHOICE, {}));
    expect(missing).toMatchObject({ fatal: true, message: expect.stringMatching(/does not offer one-use Live tokens.*turn off "Connect voice straight to Google"/) });
    const denied = await fail(mintLiveToken(CHOICE, {}));
    expect(denied).toMatchObject({ fatal: true, message: expect.stringContaining('not allowed on this proxy') });
    const upstream = await fail(mintLiveToken(CHOICE, {}));
    expect(upstream).toMatchObject({ fatal: false, message: expect.stringContaining('HTTP 502') });
    const network = await fail(mintLiveToken(CHOICE, {}));
    expect(network).toMatchObject({ fatal: false, message: expect.stringMatching(/Could not reach the proxy.*fetch failed/) });
    const empty = await fail(mintLiveToken(CHOICE, {}));
    expect(empty).toMatchObject({ fatal: true, message: expect.stringContaining('without a one-use Live token') });
  });
});
