// The proxy's own refusals, in its own words, through the SDK into toUserError: the per-minute limit, the daily
// token budget, a model not on the list, a wrong token. errors.ts recognises these by the proxy's wording
// (proxy/limits.ts, forward.ts, handler.ts): this test fails if either side changes alone.
import { afterEach, describe, expect, it } from 'vitest';
import { startStack, TEST_TOKEN, type Stack } from '../support/stack.ts';
import { streamAnswer } from '../../lib/transport/gemini.ts';
import { toUserError } from '../../lib/core/answers/errors.ts';
import type { UserError } from '../../lib/core/types.ts';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

async function askOnce(opts: { model?: string; token?: string } = {}): Promise<UserError | undefined> {
  try {
    await streamAnswer({
      proxyUrl: stack!.proxy.url,
      accessToken: opts.token ?? TEST_TOKEN,
      model: opts.model ?? 'gemini-flash-latest',
      contents: [{ role: 'user', parts: [{ text: 'What is on screen?' }] }],
      onDelta: () => {},
    });
    return undefined;
  } catch (err) {
    return toUserError(err, { model: opts.model });
  }
}

describe('the proxy\'s own refusals', () => {
  it('its per-minute limit says when to retry', async () => {
    stack = await startStack({ PROXY_RPM: '1' });
    expect(await askOnce()).toBeUndefined();
    const error = await askOnce();
    expect(error).toMatchObject({ kind: 'rate-limited', action: 'retry' });
    expect(error!.message).toMatch(/^The proxy allows this access token only so many questions a minute\. Try again in \d+ s\.$/);
    expect(error!.retryAfterSec).toBeGreaterThan(0);
  });

  it('its daily token budget says it resets at midnight UTC, with no countdown', async () => {
    stack = await startStack({ PROXY_TOKENS_PER_DAY: '10' });
    expect(await askOnce()).toBeUndefined();
    const error = await askOnce();
    expect(error?.kind).toBe('rate-limited');
    expect(error?.retryAfterSec).toBeUndefined();
    expect(error!.message).toMatch(/daily allowance on the proxy.*midnight UTC/);
  });

  it('a model not on its list is named, with Settings as the way out', async () => {
    stack = await startStack();
    const error = await askOnce({ model: 'gemini-0-nope' });
    expect(error).toMatchObject({ kind: 'forbidden', action: 'open-settings', message: 'This proxy does not offer the model “gemini-0-nope”. Choose another model in Settings.' });
  });

  it('a wrong token points at the token in Settings', async () => {
    stack = await startStack();
    expect(await askOnce({ token: 'not-a-token' })).toMatchObject({ kind: 'unauthorized', action: 'open-settings' });
  });
});
