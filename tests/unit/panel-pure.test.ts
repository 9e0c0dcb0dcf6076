/** The panel's pure helpers: which action an error offers, its countdown sentence, capture presets, the connection test. */
import { describe, expect, it, vi } from 'vitest';
import { errorActionOf, errorSentence, secondsLeft } from '../../lib/panel/error-action.ts';
import { CAPTURE_PRESETS, presetOf, presetValues } from '../../lib/panel/capture-presets.ts';
import { testConnection } from '../../lib/panel/connection-test.ts';
import { DEFAULT_SETTINGS } from '../../lib/core/settings.ts';
import type { ErrorKind } from '../../lib/core/types.ts';

describe('errorActionOf', () => {
  it('keeps the action an error carries', () => {
    expect(errorActionOf({ kind: 'upstream', message: 'Blocked.', action: 'edit-question' })).toBe('edit-question');
  });

  it.each<[ErrorKind, string | undefined]>([
    ['rate-limited', 'retry'],
    ['stream-dropped', 'retry'],
    ['upstream', 'retry'],
    ['unauthorized', 'open-settings'],
    ['forbidden', 'open-settings'],
    ['not-configured', 'open-settings'],
    ['proxy-unreachable', 'open-settings'],
    ['bad-request', 'edit-question'],
    ['capture-ended', undefined],
  ])('derives one from the kind when absent: %s -> %s', (kind, action) => {
    expect(errorActionOf({ kind, message: 'x' })).toBe(action);
  });
});

describe('the retry countdown', () => {
  const error = { kind: 'rate-limited' as const, message: 'Too many requests right now. Try again in 47 s.', retryAfterSec: 47 };

  it('counts down from when the error happened', () => {
    expect(secondsLeft(error, 1_000, 1_000)).toBe(47);
    expect(secondsLeft(error, 1_000, 11_500)).toBe(37);
    expect(secondsLeft(error, 1_000, 60_000)).toBe(0);
    expect(secondsLeft({ kind: 'upstream', message: 'x' }, 0, 0)).toBe(0);
  });

  it('says the time once, live, and that it is over', () => {
    expect(errorSentence(error, 47)).toEqual({ text: 'Too many requests right now.', countdown: ' Try again in 47 s.' });
    expect(errorSentence(error, 3)).toEqual({ text: 'Too many requests right now.', countdown: ' Try again in 3 s.' });
    expect(errorSentence(error, 0)).toEqual({ text: 'Too many requests right now. You can try again now.' });
    const bare = { kind: 'rate-limited' as const, message: 'Gemini is busy.', retryAfterSec: 30 };
    expect(errorSentence(bare, 30)).toEqual({ text: 'Gemini is busy.', countdown: ' Try again in 30 s.' });
    expect(errorSentence({ kind: 'upstream', message: 'Try again shortly.' }, 0)).toEqual({ text: 'Try again shortly.' });
  });
});

describe('capture presets', () => {
  it('a fresh install is Balanced; each preset is recognised; hand-set numbers are Custom', () => {
    expect(presetOf(DEFAULT_SETTINGS)).toBe('balanced');
    for (const p of CAPTURE_PRESETS) expect(presetOf(presetValues(p.id))).toBe(p.id);
    expect(presetOf({ fps: 3, minFps: 0.2, quality: 0.7 })).toBeUndefined();
  });

  it('Low costs less than Balanced, which costs less than Sharp', () => {
    const [low, balanced, sharp] = CAPTURE_PRESETS.map((p) => p.values);
    expect(low!.fps).toBeLessThan(balanced!.fps);
    expect(balanced!.fps).toBeLessThan(sharp!.fps);
    expect(low!.quality).toBeLessThan(sharp!.quality);
  });
});

describe('testConnection', () => {
  const target = { proxyUrl: 'http://127.0.0.1:8787/', accessToken: 'tok', model: 'gemini-flash-latest' };
  const reply = (status: number, body: unknown = {}) => new Response(JSON.stringify(body), { status });

  it('checks health, then the token and model with a free countTokens call', async () => {
    const fetch = vi.fn(async (url: URL | string) => (String(url).endsWith('/healthz') ? reply(200, { ok: true }) : reply(200, { totalTokens: 1 })));
    expect(await testConnection(target, fetch as typeof globalThis.fetch)).toEqual({
      ok: true,
      message: 'Connected: the proxy at 127.0.0.1:8787 accepts this token and the model gemini-flash-latest.',
    });
    const [, [url, init]] = fetch.mock.calls as unknown as [unknown, [URL, RequestInit]];
    expect(String(url)).toBe('http://127.0.0.1:8787/v1beta/models/gemini-flash-latest:countTokens');
    expect(new Headers(init.headers).get('x-goog-api-key')).toBe('tok');
  });

  it('says what is wrong in one sentence', async () => {
    const down = vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    });
    expect((await testConnection(target, down)).message).toMatch(/^Cannot reach the proxy at 127\.0\.0\.1:8787\./);
    const answering = (status: number, body?: unknown) =>
      vi.fn(async (url: URL | RequestInfo) => (String(url).endsWith('/healthz') ? reply(200) : reply(status, body))) as typeof globalThis.fetch;
    expect((await testConnection(target, answering(401))).message).toMatch(/refused the access token/);
    expect((await testConnection(target, answering(403, { error: { message: 'Model "x" is not allowed on this proxy.' } }))).message).toBe(
      'The proxy refused the model gemini-flash-latest. Model "x" is not allowed on this proxy.',
    );
    // A bad address or a missing token is said before any request is made.
    const never = vi.fn(fetch);
    expect((await testConnection({ ...target, proxyUrl: 'ftp://x' }, never)).ok).toBe(false);
    expect((await testConnection({ ...target, accessToken: ' ' }, never)).message).toMatch(/access token/);
    expect(never).not.toHaveBeenCalled();
  });
});
