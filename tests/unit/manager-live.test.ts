// Live mode in the conversation manager: transcripts become turns of the same conversation, saved like typed
// ones; barge-in marks the answer interrupted; usage adds up per turn and the spend limit ends Live with a
// sentence; typed text during Live goes into the Live session; the record survives a worker restart.
import { describe, expect, it } from 'vitest';
import { FakeCapture, makeManager, MemoryStores } from '../support/manager-fakes.ts';
import type { LiveBackend } from '../../lib/capture/backend.ts';
import type { StartLive } from '../../lib/protocol/live.ts';
import { normalizeSettings } from '../../lib/core/settings.ts';

class FakeLive implements LiveBackend {
  starts: StartLive[] = [];
  texts: string[] = [];
  ended = 0;
  running = false;
  startError: Error | undefined;
  async start(req: StartLive) { if (this.startError) throw this.startError; this.starts.push(req); this.running = true; }
  async end() { this.ended++; this.running = false; }
  async setMuted() {}
  async sendText(t: string) { this.texts.push(t); }
  async isActive() { return this.running; }
}

function setup(stores = new MemoryStores(), live = new FakeLive()) {
  const capture = new FakeCapture() as FakeCapture & { live?: LiveBackend };
  capture.live = live;
  return { ...makeManager(stores, capture), live };
}

const line = (id: number, role: 'user' | 'model', text: string, status: 'partial' | 'complete' | 'interrupted' | 'cut' = 'partial') =>
  ({ id, role, text, status, startedAt: 1000 });

describe('Live mode in the conversation manager', () => {
  it('records what was said and the spoken answer as one turn of the same conversation, saved', async () => {
    const t = setup();
    await t.manager.ready();
    await t.manager.handle({ type: 'start-live' });
    expect(t.live.starts[0]).toMatchObject({ proxyUrl: 'http://proxy', accessToken: 'tok', model: 'gemini-live-2.5-flash-preview' });
    expect(t.lastState()?.live).toMatchObject({ phase: 'starting' });
    await t.manager.liveReport({ type: 'live-phase', phase: 'open', notice: null });
    expect(t.lastState()?.live).toMatchObject({ phase: 'open', muted: false });
    await t.manager.liveReport({ type: 'live-lines', lines: [line(1, 'user', 'What is on')] });
    await t.manager.liveReport({ type: 'live-lines', lines: [line(1, 'user', 'What is on the slide?', 'complete'), line(2, 'model', 'A chart')] });
    await t.manager.liveReport({ type: 'live-lines', lines: [line(2, 'model', 'A chart of sales.')] });
    expect(t.events).toContainEqual({ type: 'answer-delta', turnId: expect.any(String), text: ' of sales.' });
    await t.manager.liveReport({ type: 'live-lines', lines: [line(2, 'model', 'A chart of sales.', 'complete')] });
    const [turn] = t.stores.session!.turns;
    expect(turn).toMatchObject({ question: 'What is on the slide?', answer: 'A chart of sales.', status: 'done', spoken: true });
    expect(turn!.interrupted).toBeUndefined();
    expect(t.stores.live?.lines).toEqual([[1, turn!.id], [2, turn!.id]]);
  });

  it('marks an answer the person talked over as interrupted, and the next words open a new turn', async () => {
    const t = setup();
    await t.manager.ready();
    await t.manager.handle({ type: 'start-live' });
    await t.manager.liveReport({ type: 'live-lines', lines: [line(1, 'user', 'Tell me', 'complete'), line(2, 'model', 'Well, first')] });
    await t.manager.liveReport({ type: 'live-lines', lines: [line(2, 'model', 'Well, first', 'interrupted')] });
    await t.manager.liveReport({ type: 'live-lines', lines: [line(3, 'user', 'Stop', 'complete'), line(4, 'model', 'OK.', 'complete')] });
    const turns = t.stores.session!.turns;
    expect(turns.map((x) => [x.question, x.answer, x.interrupted])).toEqual([['Tell me', 'Well, first', 'barge-in'], ['Stop', 'OK.', undefined]]);
  });

  it('sends typed text into the Live session and puts its answer under it', async () => {
    const t = setup();
    await t.manager.ready();
    await t.manager.handle({ type: 'start-live' });
    await t.manager.handle({ type: 'ask', text: 'And the red bar?' });
    expect(t.live.texts).toEqual(['And the red bar?']);
    expect(t.model.requests).toHaveLength(0);
    await t.manager.liveReport({ type: 'live-lines', lines: [line(5, 'model', 'Sales in May.', 'complete')] });
    expect(t.stores.session!.turns.at(-1)).toMatchObject({ question: 'And the red bar?', answer: 'Sales in May.', status: 'done' });
  });

  it('sums every turn’s usage and ends Live with a sentence at the spend limit', async () => {
    const stores = new MemoryStores();
    stores.settings = normalizeSettings({ ...stores.settings, spendLimit: 0.001, inputPricePerMillion: 1, outputPricePerMillion: 1 });
    const t = setup(stores);
    await t.manager.ready();
    await t.manager.handle({ type: 'start-live' });
    await t.manager.liveReport({ type: 'live-lines', lines: [line(1, 'user', 'Hi', 'complete'), line(2, 'model', 'Hello', 'complete')] });
    await t.manager.liveReport({ type: 'live-usage', turn: { prompt: 300, response: 100, total: 400 } });
    expect(t.stores.session!.usage).toMatchObject({ promptTokens: 300, answerTokens: 100 });
    expect(t.lastState()?.live).toBeDefined();
    // The panel's cost per minute counts from here: when Live started and the conversation's usage then.
    expect(t.lastState()?.live).toMatchObject({ startedAt: expect.any(Number), usageAtStart: { promptTokens: 0, answerTokens: 0 } });
    await t.manager.liveReport({ type: 'live-phase', phase: 'open', notice: null });
    expect(t.lastState()?.live?.startedAt).toBeTypeOf('number');
    await t.manager.liveReport({ type: 'live-usage', turn: { prompt: 500, response: 200, total: 700 } });
    expect(t.stores.session!.usage).toMatchObject({ promptTokens: 800, answerTokens: 300 });
    expect(t.live.ended).toBe(1);
    expect(t.lastState()?.live).toBeUndefined();
    expect(t.lastState()?.notice?.message).toMatch(/^Live mode paused: /);
  });

  it('says Live mode needs Gemini when the backend is an OpenAI-compatible server', async () => {
    const stores = new MemoryStores();
    stores.settings = normalizeSettings({ ...stores.settings, backend: 'openai', chatModel: 'llava' });
    const t = setup(stores);
    await t.manager.ready();
    await t.manager.handle({ type: 'start-live' });
    expect(t.live.starts).toHaveLength(0);
    expect(t.lastState()?.notice?.message).toMatch(/Live mode needs Gemini/);
  });

  it('a refused microphone is said in words and nothing runs', async () => {
    const live = new FakeLive();
    live.startError = new Error('Microphone access was refused.');
    const t = setup(new MemoryStores(), live);
    await t.manager.ready();
    await t.manager.handle({ type: 'start-live' });
    expect(t.lastState()).toMatchObject({ notice: { message: 'Microphone access was refused.' } });
    expect(t.lastState()?.live).toBeUndefined();
  });

  it('a restarted worker keeps the record, and resumes from the saved handle when the page is gone', async () => {
    const t = setup();
    await t.manager.ready();
    await t.manager.handle({ type: 'start-live' });
    await t.manager.liveReport({ type: 'live-saved', snapshot: '{"phase":"open","generation":2,"handle":"h-9"}' });
    await t.manager.liveReport({ type: 'live-lines', lines: [line(1, 'user', 'Hi', 'complete')] });
    t.live.running = false; // the offscreen document went away with the worker
    const again = setup(t.stores, t.live);
    await again.manager.ready();
    expect(again.live.starts.at(-1)?.resume).toContain('h-9');
    await again.manager.liveReport({ type: 'live-lines', lines: [line(2, 'model', 'Hello!', 'complete')] });
    expect(again.stores.session!.turns.map((x) => [x.question, x.answer])).toEqual([['Hi', 'Hello!']]);
    await again.manager.handle({ type: 'end-live' });
    expect(again.stores.live).toBeNull();
  });
});
