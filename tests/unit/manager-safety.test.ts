/**
 * Conversation manager: hidden regions across a service-worker restart, storage the browser refuses, and
 * consent checked where capture starts.
 */
import { describe, expect, it } from 'vitest';
import type { Part } from '@google/genai';
import { FakeCapture, FakeClock, FakeModel, MemoryStores, makeManager, payload, storageError } from '../support/manager-fakes.ts';
import { HIDING, mayShow, withoutHiddenPixels } from '../../lib/core/conversation/conversation-state.ts';
import { newConversation } from '../../lib/core/conversation/history.ts';
import type { Frame } from '../../lib/core/types.ts';
import type { StreamRequest } from '../../lib/transport/gemini.ts';

const HIDE = { x: 0.125, y: 0.125, w: 0.25, h: 0.25 };
const imagesOf = (req: StreamRequest) =>
  req.contents.flatMap((c) => c.parts ?? []).filter((p: Part) => p.inlineData).map((p) => Buffer.from(p.inlineData!.data!, 'base64').toString());
const pixelsOnDisk = (stores: MemoryStores) => stores.session!.frames.filter((f) => f.data).map((f) => Buffer.from(f.data, 'base64').toString());

describe('a frame encoded before a region was hidden', () => {
  /** Frames kept on disk, a frame and a question, then a region hidden: the worker stops before writing again. */
  async function hiddenThenRestarted(captureSurvives: boolean) {
    const stores = new MemoryStores();
    stores.settings = { ...stores.settings, keepFrames: true };
    const clock = new FakeClock();
    const capture = new FakeCapture();
    const first = makeManager(stores, capture, new FakeModel(), clock);
    await first.manager.handle({ type: 'share', source: 'tab' });
    await first.manager.frameArrived(payload('secret-sampled', clock.now()));
    capture.nextGrab = () => payload('secret-asked', clock.now());
    await first.manager.handle({ type: 'ask', text: 'What is on the page?' });
    await first.manager.handle({ type: 'set-redactions', regions: [HIDE] });
    // The old pixels are still in the stored conversation: the rule below must not rely on their removal.
    expect(pixelsOnDisk(stores)).toEqual(['secret-sampled', 'secret-asked']);

    if (!captureSurvives) capture.active = false;
    capture.nextGrab = () => payload('after-restart', clock.now());
    const again = makeManager(stores, capture, new FakeModel(), clock);
    await again.manager.ready();
    await again.manager.handle({ type: 'ask', text: 'And now?' });
    return { again, images: imagesOf(again.model.requests[0]!) };
  }

  it('is never sent after a restart, with "Keep frames on disk" on (the capture still running)', async () => {
    const { again, images } = await hiddenThenRestarted(true);
    expect(again.lastState()!.sharing.status).toBe('on');
    expect(images).toEqual(['after-restart']);
  });

  it('is never sent after a restart that also ended the capture', async () => {
    const { again, images } = await hiddenThenRestarted(false);
    expect(again.lastState()!.sharing.status).toBe('off');
    expect(images).toEqual([]);
  });

  it('stays out when the worker stopped while the capture was taking the new region', async () => {
    const stores = new MemoryStores();
    stores.settings = { ...stores.settings, keepFrames: true };
    const clock = new FakeClock();
    const capture = new FakeCapture();
    const first = makeManager(stores, capture, new FakeModel(), clock);
    await first.manager.handle({ type: 'share', source: 'tab' });
    await first.manager.frameArrived(payload('secret', clock.now()));
    await first.manager.handle({ type: 'ask', text: 'q' });
    // The capture never acknowledges the region: the worker "stops" mid-change.
    capture.setRedactions = () => new Promise<void>(() => {});
    void first.manager.handle({ type: 'set-redactions', regions: [HIDE] });
    await new Promise((r) => setTimeout(r, 0));
    expect(stores.hiddenSince['example.com']).toBe(HIDING);

    const applied: unknown[] = [];
    capture.setRedactions = async (regions) => void applied.push(regions);
    capture.nextGrab = () => payload('after-restart', clock.now());
    const again = makeManager(stores, capture, new FakeModel(), clock);
    await again.manager.handle({ type: 'ask', text: 'And now?' });
    // The restarted worker gives the capture the region again, then lets newer frames through.
    expect(applied).toEqual([[HIDE]]);
    expect(stores.hiddenSince['example.com']).toBeLessThan(HIDING);
    expect(imagesOf(again.model.requests[0]!)).toEqual(['after-restart']);
  });

  it('is derived, per site, from when the site last hid more (pure)', () => {
    const frame = (id: string, capturedAt: number, site?: string): Frame => ({
      id, capturedAt, width: 1, height: 1, mimeType: 'image/jpeg', data: id, source: 'tab', reason: 'sampled', ...(site ? { site } : {}),
    });
    const since = { 'a.example': 100 };
    expect(mayShow(frame('old', 99, 'a.example'), since)).toBe(false);
    expect(mayShow(frame('new', 100, 'a.example'), since)).toBe(true);
    expect(mayShow(frame('other-site', 1, 'b.example'), since)).toBe(true);
    expect(mayShow(frame('no-site', 99), since)).toBe(false);
    expect(mayShow(frame('everything', 150, 'b.example'), { '*': 200 })).toBe(false);
    const session = { ...newConversation(0, 's'), frames: [frame('old', 99, 'a.example'), frame('new', 120, 'a.example')] };
    const seen = withoutHiddenPixels(session, since);
    expect(seen.frames.map((f) => f.data)).toEqual(['', 'new']);
    expect(session.frames[0]!.data).toBe('old');
    expect(withoutHiddenPixels(session, {})).toBe(session);
  });
});

describe('storage the browser refuses', () => {
  it('over quota: answers still stream, the conversation lives in memory, one notice says so', async () => {
    const stores = new MemoryStores();
    stores.refuse = storageError('QuotaExceededError');
    const t = makeManager(stores);
    await t.manager.handle({ type: 'ask', text: 'First question' });
    await t.manager.handle({ type: 'ask', text: 'Second question' });
    expect(t.lastState()!.session.turns.map((x) => [x.question, x.status, x.answer])).toEqual([
      ['First question', 'done', 'You asked something.'],
      ['Second question', 'done', 'You asked something.'],
    ]);
    // The follow-up carries the first question: the conversation is kept in memory.
    expect(t.model.requests[1]!.contents.flatMap((c) => c.parts ?? []).some((p) => p.text?.includes('First question'))).toBe(true);
    expect(t.lastState()!.notice).toEqual({
      kind: 'not-saved',
      message: 'This conversation is not being saved: the browser refused storage (QuotaExceededError). It lasts until the browser closes.',
    });
    // Said once: dismissed, it does not come back with every refused write.
    await t.manager.handle({ type: 'dismiss-notice' });
    await t.manager.handle({ type: 'ask', text: 'Third question' });
    expect(t.lastState()!.notice).toBeUndefined();
    expect(t.lastState()!.session.turns.at(-1)).toMatchObject({ status: 'done' });
    expect(stores.all.size).toBe(0);
  });

  it('IndexedDB unavailable from the start (private browsing): a new conversation in memory, and it works', async () => {
    const stores = new MemoryStores();
    stores.refuse = storageError('InvalidStateError', 'A mutation operation was attempted on a database that did not allow mutations.');
    const t = makeManager(stores);
    await t.manager.ready();
    expect(t.manager.snapshotEvents()[0]).toMatchObject({ type: 'state', state: { notice: { kind: 'not-saved' }, session: { turns: [] } } });
    expect(t.manager.snapshotEvents()[0]).toMatchObject({ state: { notice: { message: expect.stringContaining('(InvalidStateError)') } } });
    await t.manager.handle({ type: 'ask', text: 'Does this work?' });
    expect(t.lastState()!.session.turns[0]).toMatchObject({ status: 'done', answer: 'You asked something.' });
    await t.manager.handle({ type: 'list-conversations' });
    expect(t.events.at(-1)).toEqual({ type: 'conversations', sessions: [] });
    await t.manager.handle({ type: 'new-conversation' });
    expect(t.lastState()!.session.turns).toEqual([]);
    expect(t.events.filter((e) => e.type === 'state' && e.state.notice?.kind === 'not-saved').length).toBeGreaterThan(0);
  });

  it('storage that works again: the notice goes and the conversation is written', async () => {
    const stores = new MemoryStores();
    stores.refuse = storageError('QuotaExceededError');
    const t = makeManager(stores);
    await t.manager.handle({ type: 'ask', text: 'While full' });
    expect(t.lastState()!.notice?.kind).toBe('not-saved');
    stores.refuse = undefined;
    await t.manager.handle({ type: 'ask', text: 'After space was freed' });
    expect(t.lastState()!.notice).toBeUndefined();
    expect(stores.session!.turns.map((x) => x.question)).toEqual(['While full', 'After space was freed']);
  });

  it('"Delete all" that the store refuses says so instead of pretending', async () => {
    const t = makeManager();
    await t.manager.handle({ type: 'ask', text: 'Kept' });
    t.stores.refuse = storageError('UnknownError');
    await t.manager.handle({ type: 'delete-all' });
    expect(t.lastState()!.notice?.message).toContain('could not be deleted');
    expect(t.lastState()!.session.turns).toEqual([]);
  });
});

describe('consent, checked where capture starts', () => {
  it('sharing is refused, with a sentence, until the notice is accepted', async () => {
    const t = makeManager();
    t.stores.consent = false;
    await t.manager.handle({ type: 'share', source: 'tab' });
    expect(t.capture.started).toEqual([]);
    expect(t.lastState()).toMatchObject({ sharing: { status: 'off' }, notice: { kind: 'consent' } });
    expect(t.lastState()!.notice!.message).toContain('I understand');
    t.stores.consent = true;
    await t.manager.handle({ type: 'share', source: 'camera' });
    expect(t.lastState()).toMatchObject({ sharing: { status: 'on', source: 'camera' } });
    expect(t.lastState()!.notice).toBeUndefined();
  });
});
