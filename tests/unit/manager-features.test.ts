/** Conversation manager: hidden regions, private sites, spend limit, look closer, compaction, past conversations. */
import { describe, expect, it } from 'vitest';
import type { Part } from '@google/genai';
import { MemoryStores, makeManager, payload } from '../support/manager-fakes.ts';
import { CLOSER_GRAB, QUESTION_GRAB } from '../../lib/conversation/manager.ts';
import type { PanelEvent } from '../../lib/protocol/messages.ts';

type T = ReturnType<typeof makeManager>;
const imagesIn = (t: T, i: number) =>
  t.model.requests[i]!.contents.flatMap((c) => c.parts ?? []).filter((p: Part) => p.inlineData).map((p) => Buffer.from(p.inlineData!.data!, 'base64').toString());
const textOf = (t: T, i: number) => t.model.requests[i]!.contents.flatMap((c) => c.parts ?? []).map((p) => p.text ?? '').join('\n');
const lastSessions = (t: T) => [...t.events].reverse().find((e): e is Extract<PanelEvent, { type: 'conversations' }> => e.type === 'conversations')?.sessions;
// Binary-exact fractions, so regions compare equal after clamping arithmetic.
const HIDE = { x: 0.125, y: 0.125, w: 0.25, h: 0.25 };

describe('hidden regions', () => {
  it('are kept per site, passed to the capture at start, and applied to a running one at once', async () => {
    const t = makeManager();
    t.stores.regions.set('example.com', [HIDE]);
    await t.manager.handle({ type: 'share', source: 'tab' });
    expect(t.capture.started[0]!.settings.redactions).toEqual([HIDE]);
    expect(t.lastState()).toMatchObject({ sharing: { status: 'on', site: 'example.com' }, redactions: [HIDE] });

    const more = { x: 0.5, y: 0.5, w: 0.25, h: 0.25 };
    await t.manager.handle({ type: 'set-redactions', regions: [HIDE, more] });
    expect(t.capture.redactions).toEqual([HIDE, more]);
    expect(t.stores.regions.get('example.com')).toEqual([HIDE, more]);
    expect(t.lastState()!.redactions).toEqual([HIDE, more]);
  });

  it('a frame taken before a region was hidden is never sent', async () => {
    const t = makeManager();
    await t.manager.handle({ type: 'share', source: 'tab' });
    await t.manager.frameArrived(payload('before-hiding', t.at()));
    await t.manager.handle({ type: 'set-redactions', regions: [HIDE] });
    await t.manager.frameArrived(payload('after-hiding', t.at()));
    await t.manager.handle({ type: 'ask', text: 'What do you see?' });
    const images = imagesIn(t, 0);
    expect(images).not.toContain('before-hiding');
    expect(images).toContain('after-hiding');
  });

  it('camera and screen keep their own regions, apart from any site', async () => {
    const t = makeManager();
    t.stores.regions.set('camera', [HIDE]);
    await t.manager.handle({ type: 'share', source: 'screen' });
    expect(t.capture.started[0]!.settings.redactions).toEqual([]);
    await t.manager.handle({ type: 'share', source: 'camera' });
    expect(t.capture.started[1]!.settings.redactions).toEqual([HIDE]);
    expect(t.lastState()!.sharing.site).toBe('camera');
  });
});

describe('private sites', () => {
  it('sharing a tab on a listed site starts paused and says so; nothing from it is kept', async () => {
    const t = makeManager();
    t.stores.tabUrls.set(7, 'https://online.mybank.example/accounts');
    await t.manager.handle({ type: 'share', source: 'tab' });
    expect(t.capture.paused).toBe(true);
    expect(t.lastState()).toMatchObject({ sharing: { status: 'paused' }, notice: { kind: 'private-site' } });
    expect(t.lastState()!.notice!.message).toContain('online.mybank.example');
    await t.manager.frameArrived(payload('bank-page', 1));
    await t.manager.handle({ type: 'ask', text: 'q' });
    expect(t.capture.grabs).toBe(0);
    expect(imagesIn(t, 0)).toEqual([]);
    // Resume is the person's explicit choice.
    await t.manager.handle({ type: 'resume' });
    expect(t.lastState()!.sharing.status).toBe('on');
  });

  it('the shared tab going to a listed site pauses, with that site\'s regions; any other page stops sharing', async () => {
    const t = makeManager();
    t.stores.regions.set('www.paypal.com', [HIDE]);
    await t.manager.handle({ type: 'share', source: 'tab' });
    await t.manager.sharedTabNavigated('https://www.paypal.com/signin');
    expect(t.lastState()).toMatchObject({ sharing: { status: 'paused', site: 'www.paypal.com' }, notice: { kind: 'private-site' }, redactions: [HIDE] });
    expect(t.capture.paused).toBe(true);
    expect(t.capture.redactions).toEqual([HIDE]);

    await t.manager.sharedTabNavigated('https://news.example.org/');
    expect(t.lastState()).toMatchObject({ sharing: { status: 'off' }, notice: { kind: 'capture-ended' } });
    expect(t.capture.active).toBe(false);
  });

  it('the list is the user\'s: an edited list no longer pauses a removed site', async () => {
    const stores = new MemoryStores();
    stores.settings = { ...stores.settings, privateSites: ['intranet.example'] };
    stores.tabUrls.set(7, 'https://www.paypal.com/');
    const t = makeManager(stores);
    await t.manager.handle({ type: 'share', source: 'tab' });
    expect(t.lastState()!.sharing.status).toBe('on');
  });
});

describe('cost and spend limit', () => {
  it('counts tokens per turn and per session', async () => {
    const t = makeManager();
    await t.manager.handle({ type: 'ask', text: 'one' });
    await t.manager.handle({ type: 'ask', text: 'two' });
    const s = t.lastState()!.session;
    expect(s.turns.map((x) => x.usage)).toEqual([{ promptTokens: 100, answerTokens: 5 }, { promptTokens: 100, answerTokens: 5 }]);
    expect(s.usage).toEqual({ promptTokens: 200, answerTokens: 10 });
  });

  it('reaching the spend limit pauses sharing and says so; resuming stays refused while over it', async () => {
    const stores = new MemoryStores();
    // $1 per million prompt tokens, spend limit $0.0005 = 500 prompt tokens: five answers of 100.
    stores.settings = { ...stores.settings, inputPricePerMillion: 1, outputPricePerMillion: 0, spendLimit: 0.0005 };
    const t = makeManager(stores);
    await t.manager.handle({ type: 'share', source: 'tab' });
    for (let i = 0; i < 4; i++) await t.manager.handle({ type: 'ask', text: `q${i}` });
    expect(t.lastState()!.sharing.status).toBe('on');
    await t.manager.handle({ type: 'ask', text: 'q5' });
    expect(t.lastState()).toMatchObject({ sharing: { status: 'paused' }, notice: { kind: 'spend-limit' } });
    expect(t.capture.paused).toBe(true);
    await t.manager.handle({ type: 'resume' });
    expect(t.lastState()!.sharing.status).toBe('paused');
    // A raised budget lets it resume.
    stores.settings = { ...stores.settings, spendLimit: 1 };
    await t.manager.handle({ type: 'resume' });
    expect(t.lastState()!.sharing.status).toBe('on');
  });
});

describe('look closer', () => {
  it('asks the capture for a larger, sharper frame, sent as a close-up', async () => {
    const t = makeManager();
    await t.manager.handle({ type: 'share', source: 'tab' });
    await t.manager.handle({ type: 'ask', text: 'normal' });
    t.capture.nextGrab = () => ({ ...payload('close-up', 5), width: 1536, height: 864 });
    await t.manager.handle({ type: 'ask', text: 'read the small print', closer: true });
    expect(t.capture.grabOptions).toEqual([QUESTION_GRAB, CLOSER_GRAB]);
    expect(CLOSER_GRAB.maxSide).toBeGreaterThanOrEqual(1536);
    expect(imagesIn(t, 1).at(-1)).toBe('close-up');
    expect(textOf(t, 1)).toContain('Close-up frame');
  });
});

describe('compaction', () => {
  const longAnswers = (t: T) => {
    t.model.script = async (req) => {
      const text = `${'Long answer words. '.repeat(500)}\nSCENE: a slide`;
      req.onDelta(text);
      return { text, usage: { promptTokens: 1000, answerTokens: 2500 } };
    };
  };

  it('folds old turns into a summary made by a model call, and the next request carries it', async () => {
    const t = makeManager();
    longAnswers(t);
    for (let i = 0; i < 5; i++) await t.manager.handle({ type: 'ask', text: `QUESTION-${i}` });
    expect(t.model.summaryRequests.length).toBeGreaterThan(0);
    const summaryPrompt = t.model.summaryRequests[0]!.contents.flatMap((c) => c.parts ?? []).map((p) => p.text).join('');
    expect(summaryPrompt).toContain('QUESTION-0');
    const s = t.stores.session!;
    expect(s.summary).toBe('Earlier: the user asked about the screen.');
    expect(s.summarizedTurns).toBeGreaterThan(0);
    // The summary call's tokens count in the session's cost.
    expect(s.usage.promptTokens).toBe(5 * 1000 + 2000 * t.model.summaryRequests.length);
    await t.manager.handle({ type: 'ask', text: 'and now?' });
    const last = textOf(t, t.model.requests.length - 1);
    expect(last).toContain('Summary so far');
    expect(last).not.toContain('QUESTION-0');
  });

  it('a failed summary call leaves the conversation working', async () => {
    const t = makeManager();
    longAnswers(t);
    t.model.summaryScript = async () => {
      throw new Error('proxy down');
    };
    for (let i = 0; i < 5; i++) await t.manager.handle({ type: 'ask', text: `QUESTION-${i}` });
    expect(t.model.summaryRequests.length).toBeGreaterThan(0);
    expect(t.stores.session!.summary).toBeUndefined();
    expect(t.lastState()!.session.turns.every((x) => x.status === 'done')).toBe(true);
    expect(t.lastState()!.notice).toBeUndefined();
  });
});

describe('past conversations and deleting', () => {
  async function twoConversations() {
    const t = makeManager();
    await t.manager.handle({ type: 'ask', text: 'First conversation' });
    const firstId = t.lastState()!.session.id;
    await t.manager.handle({ type: 'new-conversation' });
    await t.manager.handle({ type: 'ask', text: 'Second conversation' });
    return { t, firstId };
  }

  it('lists the others, reopens one to read and continue it', async () => {
    const { t, firstId } = await twoConversations();
    await t.manager.handle({ type: 'list-conversations' });
    expect(lastSessions(t)!.map((s) => s.title)).toEqual(['First conversation']);
    await t.manager.handle({ type: 'open-conversation', id: firstId });
    expect(t.lastState()!.session.turns.map((x) => x.question)).toEqual(['First conversation']);
    expect(lastSessions(t)!.map((s) => s.title)).toEqual(['Second conversation']);
    await t.manager.handle({ type: 'ask', text: 'Continued' });
    expect(t.stores.all.get(firstId)!.turns.map((x) => x.question)).toEqual(['First conversation', 'Continued']);
    // The follow-up carries the reopened conversation.
    expect(textOf(t, t.model.requests.length - 1)).toContain('First conversation');
  });

  it('"Delete this conversation" removes it from disk and leaves an empty one', async () => {
    const { t, firstId } = await twoConversations();
    const current = t.lastState()!.session.id;
    await t.manager.handle({ type: 'delete-conversation', id: current });
    expect(t.stores.all.has(current)).toBe(false);
    expect(t.lastState()!.session.turns).toEqual([]);
    expect(lastSessions(t)!.map((s) => s.id)).toEqual([firstId]);
    await t.manager.handle({ type: 'delete-conversation', id: firstId });
    expect(t.stores.all.size).toBe(0);
    expect(lastSessions(t)).toEqual([]);
  });

  it('"Delete all" stops sharing and removes every conversation and hidden region', async () => {
    const { t } = await twoConversations();
    t.stores.regions.set('example.com', [HIDE]);
    await t.manager.handle({ type: 'share', source: 'tab' });
    await t.manager.handle({ type: 'delete-all' });
    expect(t.stores.all.size).toBe(0);
    expect(t.stores.session).toBeUndefined();
    expect(t.stores.regions.size).toBe(0);
    expect(t.capture.active).toBe(false);
    expect(t.lastState()).toMatchObject({ sharing: { status: 'off' }, session: { turns: [] } });
    expect(lastSessions(t)).toEqual([]);
  });
});
