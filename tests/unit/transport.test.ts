/**
 * The transport with the official SDK against the stand-in Gemini server: what a person reads for
 * each failure (401, 403, 413, 429 with RetryInfo, 500, dropped stream, proxy down).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGemini, type FakeGemini } from '../support/fake-gemini.ts';
import { streamAnswer } from '../../lib/transport/gemini.ts';
import { toUserError } from '../../lib/core/answers/errors.ts';

let gemini: FakeGemini;
beforeAll(async () => (gemini = await startFakeGemini()));
afterAll(() => gemini.close());
beforeEach(() => gemini.reset());

async function attempt() {
  const deltas: string[] = [];
  try {
    const res = await streamAnswer({
      proxyUrl: gemini.url,
      accessToken: 'token',
      model: 'gemini-flash-latest',
      contents: [{ role: 'user', parts: [{ text: 'What is on screen?' }] }],
      onDelta: (d) => deltas.push(d),
    });
    return { res, deltas };
  } catch (err) {
    return { error: toUserError(err), deltas };
  }
}

const googleError = (status: number, code: string, message: string, details?: unknown[]) => ({
  status,
  error: { message, status: code, ...(details ? { details } : {}) },
});

describe('streamAnswer', () => {
  it('streams deltas in order and returns the running-total usage', async () => {
    gemini.respond(() => ({ text: ['A ', 'red ', 'square.'], usage: { prompt: 300, answer: 3 } }));
    const { res, deltas } = await attempt();
    expect(deltas).toEqual(['A ', 'red ', 'square.']);
    expect(res?.text).toBe('A red square.');
    expect(res?.usage).toEqual({ promptTokens: 300, answerTokens: 3 });
    expect(gemini.requests[0]?.path).toBe('/v1beta/models/gemini-flash-latest:streamGenerateContent?alt=sse');
    expect(gemini.requests[0]?.apiKey).toBe('token');
  });

  it('aborts when the signal fires', async () => {
    gemini.respond(() => ({ text: ['one ', 'two ', 'three ', 'four'], delayMs: 200 }));
    const abort = new AbortController();
    const deltas: string[] = [];
    const p = streamAnswer({
      proxyUrl: gemini.url, accessToken: 't', model: 'm', signal: abort.signal,
      contents: [{ role: 'user', parts: [{ text: 'q' }] }],
      onDelta: (d) => { deltas.push(d); abort.abort(); },
    });
    await expect(p).rejects.toThrow();
    expect(deltas.length).toBeLessThan(4);
  });
});

describe('errors a person understands', () => {
  it('401: check the access token', async () => {
    gemini.respond(() => googleError(401, 'UNAUTHENTICATED', 'Missing or wrong access token.'));
    const { error } = await attempt();
    expect(error?.kind).toBe('unauthorized');
    expect(error?.message).toMatch(/access token in Settings/);
  });

  it('403 names the model the proxy refused and points to Settings', async () => {
    gemini.respond(() => googleError(403, 'PERMISSION_DENIED', 'Model "x" is not allowed on this proxy. Choose one of: a, b.'));
    const { error } = await attempt();
    expect(error).toMatchObject({ kind: 'forbidden', action: 'open-settings' });
    expect(error?.message).toBe('This proxy does not offer the model “x”. Choose another model in Settings.');
  });

  it('413: too large', async () => {
    gemini.respond(() => googleError(413, 'INVALID_ARGUMENT', 'Request body over 20 MB.'));
    expect((await attempt()).error?.kind).toBe('too-large');
  });

  it('429 says when to retry, from RetryInfo', async () => {
    gemini.respond(() =>
      googleError(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded.', [
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '47s' },
      ]),
    );
    const { error } = await attempt();
    expect(error).toMatchObject({ kind: 'rate-limited', retryAfterSec: 47 });
    expect(error?.message).toContain('Try again in 47 s');
  });

  it('500: Gemini had a problem', async () => {
    gemini.respond(() => googleError(500, 'INTERNAL', 'Internal error.'));
    const { error } = await attempt();
    expect(error?.kind).toBe('upstream');
    expect(error?.message).toContain('HTTP 500');
  });

  it('a stream dropped mid-answer keeps what arrived and says it was cut off', async () => {
    gemini.respond(() => ({ text: ['Partial ', 'answer ', 'never ', 'ends'], dropAfter: 2 }));
    const { error, deltas } = await attempt();
    expect(deltas.join('')).toBe('Partial answer ');
    expect(error?.kind).toBe('stream-dropped');
  });

  it('proxy unreachable', async () => {
    const { error } = await (async () => {
      try {
        await streamAnswer({
          proxyUrl: 'http://127.0.0.1:9', accessToken: 't', model: 'm',
          contents: [{ role: 'user', parts: [{ text: 'q' }] }], onDelta: () => {},
        });
        return {};
      } catch (err) {
        return { error: toUserError(err) };
      }
    })();
    expect(error?.kind).toBe('proxy-unreachable');
    expect(error?.message).toMatch(/Cannot reach the proxy/);
  });
});

describe('the proxy lost Gemini mid-answer (502 with its own words)', () => {
  it('shows the proxy\'s sentence once, as a cut-off answer', () => {
    const err = Object.assign(new Error('got status: 502 Bad Gateway. {"error":{"code":502,"message":"The connection to Gemini was lost mid-answer. Ask again.","status":"UNAVAILABLE"}}'), { status: 502 });
    expect(toUserError(err)).toEqual({ kind: 'stream-dropped', message: 'The connection to Gemini was lost mid-answer. Ask again.', action: 'retry' });
  });
});
