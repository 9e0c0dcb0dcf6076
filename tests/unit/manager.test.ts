import { describe, expect, it } from 'vitest';
import { FakeCapture, FakeModel, MemoryStores, makeManager, payload } from '../support/manager-fakes.ts';
import type { Part } from '@google/genai';

const imagesIn = (parts: Part[]) => parts.filter((p) => p.inlineData).map((p) => Buffer.from(p.inlineData!.data!, 'base64').toString());
const allParts = (m: FakeModel, i: number) => m.requests[i]!.contents.flatMap((c) => c.parts ?? []);

async function sharing(t: ReturnType<typeof makeManager>) {
  await t.manager.handle({ type: 'share', source: 'tab' });
  expect(t.lastState()?.sharing.status).toBe('on');
}

describe('ConversationManager', () => {
  it('sends the frame grabbed when the question is asked, after the sampled ones', async () => {
    const t = makeManager();
    await sharing(t);
    expect(t.capture.started[0]).toMatchObject({ source: 'tab', tabId: 7 });
    await t.manager.frameArrived(payload('sampled-1', 1));
    t.capture.nextGrab = () => payload('at-question', 2);
    await t.manager.handle({ type: 'ask', text: 'What is this?' });
    const images = imagesIn(allParts(t.model, 0));
    expect(images.at(-1)).toBe('at-question');
    expect(images).toContain('sampled-1');
    const turn = t.lastState()!.session.turns[0]!;
    expect(turn).toMatchObject({ question: 'What is this?', status: 'done', answer: 'You asked something.' });
    expect(turn.answer).not.toContain('SCENE:');
  });

  it('the live thumbnail shows the frame taken for a question', async () => {
    const t = makeManager();
    await sharing(t);
    t.capture.nextGrab = () => payload('asked-now', 2);
    await t.manager.handle({ type: 'ask', text: 'q' });
    const thumbs = t.events.flatMap((e) => (e.type === 'thumbnail' ? [e.thumbnail?.dataUrl] : []));
    expect(thumbs.at(-1)).toBe(`data:image/jpeg;base64,${Buffer.from('asked-now').toString('base64')}`);
  });

  it('an unchanged scene is sent once: the question frame replaces the sampled copy', async () => {
    const t = makeManager();
    await sharing(t);
    await t.manager.frameArrived(payload('slide-1', 1));
    t.capture.nextGrab = () => payload('slide-1-now', 2, 120, false);
    await t.manager.handle({ type: 'ask', text: 'What is on this slide?' });
    expect(imagesIn(allParts(t.model, 0))).toEqual(['slide-1-now']);
  });

  it('streams deltas to the panel and persists after the turn', async () => {
    const t = makeManager();
    await t.manager.handle({ type: 'ask', text: 'Hello?' });
    // The first words come with the turn, marked streaming with the time they came; then only new words.
    const first = t.events.find((e) => e.type === 'turn' && e.turn.status === 'streaming');
    expect(first).toMatchObject({ turn: { answer: 'You', firstTokenAt: expect.any(Number) } });
    const deltas = t.events.flatMap((e) => (e.type === 'answer-delta' ? [e.text] : []));
    expect(deltas).toEqual([' asked', ' something.']);
    expect(deltas.join('')).not.toContain('SCENE');
    expect(t.stores.session?.turns[0]?.status).toBe('done');
    expect(t.stores.session?.usage).toEqual({ promptTokens: 100, answerTokens: 5 });
  });

  it('a follow-up carries the earlier question and answer', async () => {
    const t = makeManager();
    await sharing(t);
    await t.manager.handle({ type: 'ask', text: 'First question' });
    await t.manager.handle({ type: 'ask', text: 'Second question' });
    const second = t.model.requests[1]!.contents;
    const texts = second.flatMap((c) => (c.parts ?? []).map((p) => `${c.role}:${p.text ?? ''}`));
    expect(texts.some((s) => s.startsWith('user:') && s.includes('First question'))).toBe(true);
    expect(texts.some((s) => s.startsWith('model:') && s.includes('You asked something.'))).toBe(true);
    expect(texts.at(-1)).toContain('Second question');
  });

  it('does not write frame pixels to disk unless the user keeps frames', async () => {
    const t = makeManager();
    await sharing(t);
    await t.manager.handle({ type: 'ask', text: 'q' });
    expect(t.stores.session!.frames.length).toBeGreaterThan(0);
    expect(t.stores.session!.frames.every((f) => f.data === '')).toBe(true);
    t.stores.settings = { ...t.stores.settings, keepFrames: true };
    await t.manager.handle({ type: 'ask', text: 'q2' });
    expect(t.stores.session!.frames.some((f) => f.data !== '')).toBe(true);
  });

  it('while paused, a question sends no frame', async () => {
    const t = makeManager();
    await sharing(t);
    await t.manager.handle({ type: 'pause' });
    expect(t.capture.paused).toBe(true);
    await t.manager.frameArrived(payload('while-paused', 5));
    await t.manager.handle({ type: 'ask', text: 'q' });
    expect(t.capture.grabs).toBe(0);
    expect(imagesIn(allParts(t.model, 0))).toEqual([]);
  });

  it('stopping an answer aborts the call and keeps what arrived', async () => {
    const t = makeManager();
    t.model.script = (req) =>
      new Promise((_, reject) => {
        req.onDelta('Half an ');
        req.signal!.addEventListener('abort', () => reject(new Error('aborted')));
        void t.manager.handle({ type: 'stop-answer' });
      });
    await t.manager.handle({ type: 'ask', text: 'Long one' });
    expect(t.lastState()!.session.turns[0]).toMatchObject({ status: 'stopped', answer: 'Half an' });
  });

  it('an unconfigured proxy is an error in the turn, with no call', async () => {
    const stores = new MemoryStores();
    stores.settings = { ...stores.settings, accessToken: '' };
    const t = makeManager(stores);
    await t.manager.handle({ type: 'ask', text: 'Anyone there?' });
    expect(t.model.requests).toHaveLength(0);
    expect(t.lastState()!.session.turns[0]).toMatchObject({ status: 'error', question: 'Anyone there?', error: { kind: 'not-configured' } });
  });

  it('the question is on disk before the answer arrives', async () => {
    const t = makeManager();
    let savedDuringCall: string[] = [];
    t.model.script = async (req) => {
      savedDuringCall = t.stores.session!.turns.map((x) => x.question);
      req.onDelta('ok');
      return { text: 'ok' };
    };
    await t.manager.handle({ type: 'ask', text: 'Saved early?' });
    expect(savedDuringCall).toEqual(['Saved early?']);
  });

  it('a restart keeps the conversation and marks an interrupted answer', async () => {
    const first = makeManager();
    await first.manager.handle({ type: 'ask', text: 'Kept question' });
    // Simulate a worker that died mid-answer on the next question.
    first.stores.session = {
      ...first.stores.session!,
      turns: [...first.stores.session!.turns, { id: 'x', question: 'Cut off', askedAt: 1, answer: 'Par', status: 'streaming' }],
    };
    first.stores.sharing = { status: 'on', source: 'tab' };
    const again = makeManager(first.stores, new FakeCapture());
    await again.manager.ready();
    const [state] = again.manager.snapshotEvents();
    if (state?.type !== 'state') throw new Error('no state');
    expect(state.state.session.turns.map((t) => t.question)).toEqual(['Kept question', 'Cut off']);
    expect(state.state.session.turns[1]).toMatchObject({ status: 'error', answer: 'Par' });
    // The capture did not survive, so sharing shows off rather than a stale "on".
    expect(state.state.sharing.status).toBe('off');
    await again.manager.handle({ type: 'ask', text: 'Next' });
    expect(again.lastState()!.session.turns.at(-1)).toMatchObject({ question: 'Next', status: 'done' });
  });

  it('a refused capture says why and leaves sharing off', async () => {
    const capture = new FakeCapture();
    capture.startError = new Error('Permission denied by the user');
    const t = makeManager(new MemoryStores(), capture);
    await t.manager.handle({ type: 'share', source: 'camera' });
    expect(t.lastState()).toMatchObject({ sharing: { status: 'off' }, notice: { kind: 'capture-refused' } });
    expect(t.lastState()!.notice!.message).toContain('Permission denied');
  });

  it('black frames (a protected video) are not sent and the panel says why', async () => {
    const t = makeManager();
    await sharing(t);
    for (let i = 0; i < 3; i++) await t.manager.frameArrived(payload(`black-${i}`, i, 0.5));
    expect(t.lastState()!.notice?.kind).toBe('black-frames');
    await t.manager.handle({ type: 'ask', text: 'q' });
    expect(imagesIn(allParts(t.model, 0)).some((s) => s.startsWith('black'))).toBe(false);
  });

  it('the capture ending by itself stops sharing and says why', async () => {
    const t = makeManager();
    await sharing(t);
    await t.manager.captureEnded('The camera went away.');
    expect(t.lastState()).toMatchObject({ sharing: { status: 'off' }, notice: { kind: 'capture-ended', message: 'The camera went away.' } });
  });
});
