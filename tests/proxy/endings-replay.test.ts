// Every recorded response shape (tests/fixtures/gemini/*.json), replayed by the stand-in Gemini through the REAL
// proxy into the ConversationManager with the real transport (the official SDK): the turn keeps what arrived, says how
// it ended or why it failed, offers the right action, and the NEXT question works and carries no thoughts, no empty
// model turn and no refused question.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStack, TEST_TOKEN, type Stack } from '../support/stack.ts';
import { geminiFixture, geminiFixtureNames } from '../support/gemini-fixtures.ts';
import { FakeModel, makeManager, MemoryStores } from '../support/manager-fakes.ts';
import { normalizeSettings } from '../../lib/core/settings.ts';
import { generateText, streamAnswer } from '../../lib/transport/gemini.ts';
import type { RecordedRequest } from '../support/fake-gemini.ts';
import type { EndingKind, ErrorKind, Turn, UserErrorAction } from '../../lib/core/types.ts';

interface Expect {
  status: Turn['status'];
  /** The visible answer kept ('' for none). */
  answer: string;
  ending?: { kind: EndingKind; incomplete: boolean; says: RegExp };
  error?: { kind: ErrorKind | ErrorKind[]; says: RegExp; retryAfterSec?: number };
  action?: UserErrorAction;
  thoughts?: boolean;
  /** Passes only with the proxy's fix for upstream Content-Encoding (proxy/forward.ts, the proxy engineer's part). */
  needsProxyFix?: boolean;
}

const cases: Record<string, Expect> = {
  'blocked-prompt': { status: 'done', answer: '', ending: { kind: 'prompt-blocked', incomplete: false, says: /refused this question.*prohibited content/ }, action: 'edit-question' },
  'safety-no-parts': { status: 'done', answer: '', ending: { kind: 'safety', incomplete: false, says: /judged the answer unsafe/ }, action: 'edit-question' },
  'safety-after-text': { status: 'done', answer: 'The first part of the answer', ending: { kind: 'safety', incomplete: true, says: /part-way.*What arrived is kept/ }, action: 'edit-question' },
  'max-tokens-thoughts-only': { status: 'done', answer: '', ending: { kind: 'thinking-only', incomplete: false, says: /whole answer length thinking/ }, action: 'retry' },
  'thought-parts-only': { status: 'done', answer: '', ending: { kind: 'thinking-only', incomplete: false, says: /thought about this but wrote no answer/ }, action: 'retry', thoughts: true },
  'thoughts-then-answer': { status: 'done', answer: 'The chart shows growth.', thoughts: true },
  'recitation-after-text': { status: 'done', answer: 'The lyrics on screen begin', ending: { kind: 'recitation', incomplete: true, says: /word for word/ }, action: 'edit-question' },
  'max-tokens-after-text': { status: 'done', answer: 'A long answer that goes on and on', ending: { kind: 'cut-short', incomplete: true, says: /length limit/ }, action: 'retry' },
  spii: { status: 'done', answer: '', ending: { kind: 'personal-info', incomplete: false, says: /sensitive personal information/ }, action: 'edit-question' },
  'unknown-finish-reason': { status: 'done', answer: 'Half an answer', ending: { kind: 'other', incomplete: true, says: /does not know yet/ }, action: 'retry' },
  'usage-only': { status: 'done', answer: '', ending: { kind: 'no-answer', incomplete: false, says: /no answer at all/ }, action: 'retry' },
  'stop-empty-text': { status: 'done', answer: '', ending: { kind: 'empty', incomplete: false, says: /without writing an answer/ }, action: 'retry' },
  'error-event-in-stream': { status: 'error', answer: 'The first part', error: { kind: 'upstream', says: /Gemini had a problem answering.*Try again/ }, action: 'retry' },
  'error-event-without-code': { status: 'done', answer: 'The first part', ending: { kind: 'unfinished', incomplete: true, says: /before Gemini said it was finished/ }, action: 'retry' },
  'error-event-sse-event-line': { status: 'done', answer: 'The first part', ending: { kind: 'unfinished', incomplete: true, says: /before Gemini said it was finished/ }, action: 'retry' },
  'quota-per-day-429': { status: 'error', answer: '', error: { kind: 'quota', says: /daily quota.*will not work again until/ }, action: 'open-settings' },
  'quota-per-minute-429': { status: 'error', answer: '', error: { kind: 'quota', says: /per-minute limit.*Try again in 20 s/, retryAfterSec: 20 }, action: 'retry' },
  'api-key-invalid-400': { status: 'error', answer: '', error: { kind: 'proxy-key', says: /proxy’s own API key.*access token is fine/ } },
  'api-key-expired-400': { status: 'error', answer: '', error: { kind: 'proxy-key', says: /expired/ } },
  'location-400': { status: 'error', answer: '', error: { kind: 'location', says: /location is not supported/ } },
  'overloaded-503': { status: 'error', answer: '', error: { kind: 'overloaded', says: /overloaded/ }, action: 'retry' },
  'model-not-found-404': { status: 'error', answer: '', error: { kind: 'model-not-found', says: /“gemini-flash-latest” no longer exists.*Settings/ }, action: 'open-settings' },
  'gzip-error-body': { status: 'error', answer: '', error: { kind: 'quota', says: /daily quota/ }, action: 'open-settings', needsProxyFix: true },
  // The proxy may pass the page on (the SDK wraps it) or describe it itself: either way a sentence, never the page.
  'html-error-body': { status: 'error', answer: '', error: { kind: ['unreadable', 'upstream'], says: /^[^<>]*\.$/ }, action: 'retry' },
};

let stack: Stack;
beforeAll(async () => { stack = await startStack(); });
afterAll(async () => { await stack?.close(); });
beforeEach(() => stack.gemini.reset());

const generate = (r: RecordedRequest) => r.action === 'streamGenerateContent';
interface Body { contents: Array<{ role: string; parts: Array<{ text?: string }> }> }

/** A manager on the real transport, pointed at the real proxy. */
function manager() {
  const stores = new MemoryStores();
  stores.settings = normalizeSettings({ proxyUrl: stack.proxy.url, accessToken: TEST_TOKEN });
  const model = new FakeModel();
  model.call = (req) => streamAnswer(req);
  model.summarize = (req) => generateText(req);
  return makeManager(stores, undefined, model);
}

describe('recorded Gemini shapes through the real proxy', () => {
  it('has an expectation for every fixture', () => {
    expect(Object.keys(cases).sort()).toEqual(geminiFixtureNames());
  });

  it.each(Object.entries(cases))('%s', async (name, want) => {
    const fixture = geminiFixture(name);
    let first = true;
    stack.gemini.respond((req) => {
      if (!generate(req) || !first) return { text: ['You asked: ', (req.body as Body).contents.at(-1)!.parts.at(-1)!.text ?? ''] };
      first = false;
      return { replay: fixture.response };
    });
    const { manager: m, lastState } = manager();
    await m.ready();
    await m.handle({ type: 'ask', text: `Fixture ${name}` });
    const turn = lastState()!.session.turns[0]!;

    const label = want.needsProxyFix ? `${name} [needs the proxy's Content-Encoding fix]` : name;
    expect(turn.status, label).toBe(want.status);
    expect(turn.answer, label).toBe(want.answer);
    if (want.ending) {
      expect(turn.ending, label).toMatchObject({ kind: want.ending.kind, incomplete: want.ending.incomplete });
      expect(turn.ending!.message, label).toMatch(want.ending.says);
      expect(turn.ending!.action, label).toBe(want.action);
    } else {
      expect(turn.ending, label).toBeUndefined();
    }
    if (want.error) {
      expect([want.error.kind].flat(), label).toContain(turn.error?.kind);
      expect(turn.error!.message, label).toMatch(want.error.says);
      expect(turn.error!.message, label).not.toMatch(/[<>{}]|\\u001f/);
      expect(turn.error!.action, label).toBe(want.action);
      if (want.error.retryAfterSec) expect(turn.error!.retryAfterSec, label).toBe(want.error.retryAfterSec);
    } else {
      expect(turn.error, label).toBeUndefined();
    }
    // Never an empty bubble: no text means a sentence says why.
    if (!turn.answer) expect((turn.ending?.message ?? turn.error?.message ?? '').length, label).toBeGreaterThan(20);
    if (want.thoughts) expect(turn.thoughts, label).toContain('THOUGHT-MARKER');
    else expect(turn.thoughts, label).toBeUndefined();
    expect(turn.answer).not.toContain('THOUGHT-MARKER');

    // The next question works, and its request replays nothing Gemini would refuse.
    await m.handle({ type: 'ask', text: 'And now?' });
    const next = lastState()!.session.turns[1]!;
    expect(next, label).toMatchObject({ status: 'done' });
    expect(next.answer).toContain('And now?');
    const body = stack.gemini.requests.filter(generate).at(-1)!.body as Body;
    const sent = JSON.stringify(body);
    expect(sent).not.toContain('THOUGHT-MARKER');
    for (const c of body.contents) expect(c.parts.some((p) => (p.text ?? '').trim() || 'inlineData' in p), `${label}: empty ${c.role} turn`).toBe(true);
    if (want.ending?.kind === 'prompt-blocked') expect(sent).not.toContain(`Fixture ${name}`);
    else expect(sent).toContain(`Fixture ${name}`);
  });
});
