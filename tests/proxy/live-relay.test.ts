// The proxy's Live relay on Node: the official SDK connects to the proxy with the access token,
// the proxy opens the stand-in Live server with the real key and relays both ways; refusals are
// close frames with a sentence; tokens are counted; neither the key nor the token leaks.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GoogleGenAI, type LiveServerMessage } from '@google/genai';
import { loadProxyConfig, startNodeProxy, type RunningProxy } from '../../proxy/node.ts';
import type { LogLine } from '../../proxy/context.ts';
import { utcDay } from '../../proxy/limits.ts';
import { startFakeLive, type FakeLiveServer } from '../support/fake-live.ts';
import { liveConfig, sdkLiveTransport } from '../../lib/live/transport.ts';
import { liveEndpoint } from '../../lib/live/endpoint.ts';
import { closeReason } from '../../proxy/live.ts';
import { LiveSession, systemClock } from '../../lib/core/live/session.ts';
import { int16ToBase64 } from '../../lib/core/live/pcm.ts';

const REAL_KEY = 'real-gemini-key-never-shown';
const TOKEN = 'client-token-1';
const MODEL = 'gemini-live-2.5-flash-preview';
const EXT_ORIGIN = 'chrome-extension://bkejfokopdkhgjdimdaobdodlbpmmmfk';

async function waitFor<T>(fn: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

function connect(base: string, apiKey = TOKEN, model = MODEL) {
  const ai = new GoogleGenAI({ apiKey, httpOptions: { baseUrl: base, apiVersion: 'v1beta' } });
  const messages: LiveServerMessage[] = [];
  let onClose!: (e: { code: number; reason: string }) => void;
  const closed = new Promise<{ code: number; reason: string }>((r) => { onClose = r; });
  const session = ai.live.connect({
    model,
    config: liveConfig({}, { handle: null, summary: null }),
    callbacks: { onmessage: (m) => messages.push(m), onclose: (e) => onClose({ code: e.code, reason: e.reason }), onerror: () => {} },
  });
  return { session, messages, closed };
}

describe('Live relay through the Node proxy', () => {
  let fake: FakeLiveServer;
  let proxy: RunningProxy;
  const lines: LogLine[] = [];
  const env = (extra: Record<string, string> = {}) => loadProxyConfig({
    GEMINI_API_KEY: REAL_KEY, PROXY_TOKENS: `${TOKEN},client-token-2`, GEMINI_BASE_URL: fake.url,
    PROXY_ALLOWED_ORIGINS: EXT_ORIGIN, PROXY_RPM: '1000', PORT: '0', ...extra,
  });
  beforeAll(async () => {
    fake = await startFakeLive();
    proxy = await startNodeProxy(env(), { log: (l) => lines.push(l) });
  });
  afterAll(async () => { await proxy?.close(); await fake?.close(); });
  beforeEach(() => { lines.length = 0; });

  it('relays a conversation with the real key swapped in, counting its tokens, leaking neither key nor token', async () => {
    const before = fake.connections.length;
    const { session, messages, closed } = connect(proxy.url);
    const s = await session;
    const conn = await fake.connection(before + 1);
    expect(conn).toMatchObject({ credential: REAL_KEY, credentialKind: 'key', method: 'BidiGenerateContent' });
    expect(JSON.stringify(conn.headers)).not.toContain(TOKEN);
    s.sendRealtimeInput({ audio: { data: int16ToBase64(new Int16Array(8000)), mimeType: 'audio/pcm;rate=16000' } });
    s.sendRealtimeInput({ text: 'Hello?' });
    await waitFor(() => messages.some((m) => m.serverContent?.turnComplete));
    const said = messages.map((m) => m.serverContent?.outputTranscription?.text ?? '').join('');
    expect(said).toBe('I heard 500 ms of audio and saw 0 frame(s). You said: Hello?');
    expect(messages.some((m) => m.serverContent?.modelTurn?.parts?.[0]?.inlineData?.mimeType === 'audio/pcm;rate=24000')).toBe(true);
    s.close();
    const end = await closed;
    expect(JSON.stringify(messages) + end.reason).not.toContain(REAL_KEY);

    const line = await waitFor(() => lines.find((l) => l.route === 'live'));
    expect(line).toMatchObject({ status: 101, model: MODEL, token: expect.stringMatching(/^[0-9a-f]{12}$/) });
    expect(line.promptTokens! + line.answerTokens!).toBeGreaterThan(0);
    expect(JSON.stringify(lines)).not.toMatch(new RegExp(`${REAL_KEY}|${TOKEN}|key=|access_token|/ws/`));
    const tokenKey = await proxy.services.tokens.check(TOKEN);
    expect(await proxy.services.budget.spent(tokenKey!, utcDay())).toBe(line.promptTokens! + line.answerTokens!);
    expect(proxy.services.metrics.openStreams).toBe(0);
  });

  it('refuses a bad access token with close code 1008 and a sentence, without reaching Gemini', async () => {
    const before = fake.connections.length;
    const { session, closed } = connect(proxy.url, 'not-a-token');
    await expect(session).rejects.toThrow(/code 1008\): This proxy access token is not valid/);
    expect((await closed).code).toBe(1008);
    expect(fake.connections.length).toBe(before);
  });

  it('refuses a model the proxy does not allow', async () => {
    await expect(connect(proxy.url, TOKEN, 'gemini-unknown-live').session).rejects.toThrow(/code 1008\): Model gemini-unknown-live is not allowed on this proxy/);
  });

  it('passes goAway through and relays the upstream 1011 with its reason', async () => {
    const before = fake.connections.length;
    const { session, messages, closed } = connect(proxy.url);
    await session;
    const conn = await fake.connection(before + 1);
    conn.goAway(60_000);
    await waitFor(() => messages.some((m) => m.goAway?.timeLeft === '60s'));
    conn.fail(1011, 'Internal error encountered.');
    expect(await closed).toEqual({ code: 1011, reason: 'Internal error encountered.' });
  });

  it('keeps a LiveSession going across goAway and 1011 through the proxy, resuming with the newest handle', async () => {
    const before = fake.connections.length;
    const transport = sdkLiveTransport({ endpoint: liveEndpoint({ proxyUrl: proxy.url, accessToken: TOKEN, model: MODEL }), model: MODEL });
    const live = new LiveSession(transport, systemClock());
    live.start();
    const first = await fake.connection(before + 1);
    await waitFor(() => live.state.phase === 'open');
    live.sendText('One');
    await waitFor(() => live.transcript.lines.some((l) => l.role === 'model' && l.status === 'complete'));
    first.goAway(30_000);
    const second = await fake.connection(before + 2);
    await second.waitFor((c) => c.setup !== null);
    expect(second.resumedFrom).toMatch(/^handle-/);
    await waitFor(() => live.state.phase === 'open' && live.state.generation === 2);
    live.sendText('Two');
    await waitFor(() => live.transcript.lines.filter((l) => l.role === 'model' && l.status === 'complete').length === 2);
    second.fail(1011);
    const third = await fake.connection(before + 3);
    await third.waitFor((c) => c.setup !== null);
    expect(third.resumedFrom).toBeTruthy();
    await waitFor(() => live.state.phase === 'open' && live.state.generation === 3);
    live.sendText('Three');
    await waitFor(() => live.transcript.lines.filter((l) => l.role === 'model' && l.status === 'complete').length === 3);
    expect(live.transcript.lines.map((l) => l.text)).toEqual([1, 2, 3].map((n) => `I heard 0 ms of audio and saw 0 frame(s). You said: ${['One', 'Two', 'Three'][n - 1]}`));
    expect(live.state.stats).toMatchObject({ goAways: 1, drops: 1, resumes: 2 });
    expect(live.usage.total.total).toBeGreaterThan(0);
    live.end();
    await waitFor(() => third.closed);
  });

  it('answers a plain GET with 426 and refuses a browser origin it does not know', async () => {
    const path = `/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent?key=${TOKEN}`;
    expect((await fetch(proxy.url + path)).status).toBe(426);
    const attempt = (origin: string) => new Promise<string>((r) => {
      const ws = new WebSocket(proxy.url.replace('http', 'ws') + path, { headers: { origin } } as never);
      ws.onopen = () => { r('open'); ws.close(); };
      ws.onerror = () => r('refused');
    });
    expect(await attempt('https://evil.example')).toBe('refused');
    expect(await attempt(EXT_ORIGIN)).toBe('open'); // the extension's own origin is let in
  });
});

describe('Live relay limits', () => {
  it('ends a conversation once its token passes the daily budget, refuses the next, and closes live sockets with 1001 on shutdown', async () => {
    const fake = await startFakeLive();
    const proxy = await startNodeProxy(loadProxyConfig({
      GEMINI_API_KEY: REAL_KEY, PROXY_TOKENS: TOKEN, GEMINI_BASE_URL: fake.url, PROXY_TOKENS_PER_DAY: '10', PORT: '0', PROXY_LOG: 'off',
    }));
    try {
      const first = connect(proxy.url);
      const s = await first.session;
      s.sendRealtimeInput({ text: 'Spend it all.' });
      await waitFor(() => first.messages.some((m) => m.serverContent?.turnComplete));
      // The turn that crossed the budget was answered in full; then the proxy ends the conversation.
      expect(await first.closed).toEqual({ code: 1008, reason: expect.stringMatching(/^This access token used its 10 tokens for today/) });
      void s;
      const tokenKey = (await proxy.services.tokens.check(TOKEN))!;
      await expect.poll(() => proxy.services.budget.spent(tokenKey, utcDay())).toBeGreaterThanOrEqual(10);
      await expect(connect(proxy.url).session).rejects.toThrow(/code 1008\): This access token used its 10 tokens for today/);
      await proxy.services.budget.add(tokenKey, utcDay(), -1_000_000);
      const open = connect(proxy.url);
      await open.session;
      await proxy.close();
      expect((await open.closed).code).toBe(1001);
    } finally {
      await proxy.close();
      await fake.close();
    }
  });
});

describe('closeReason', () => {
  it('keeps a close reason within the 123 bytes a close frame allows, cutting long ones with an ellipsis', () => {
    expect(closeReason('short')).toBe('short');
    const long = closeReason('é'.repeat(100));
    expect(new TextEncoder().encode(long).length).toBeLessThanOrEqual(123);
    expect(long.endsWith('…')).toBe(true);
  });
});
