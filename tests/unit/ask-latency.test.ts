/**
 * The way from Enter to the request (issue 13, "the answer starts when Enter is pressed"): a question being typed
 * has its frame taken ahead and the proxy connection opened, and the encode Worker's memory of encoded frames
 * reuses only an identical picture.
 */
import { describe, expect, it } from 'vitest';
import { makeManager } from '../support/manager-fakes.ts';
import { QUESTION_GRAB } from '../../lib/conversation/manager.ts';
import { normalizeSettings } from '../../lib/core/settings.ts';
import { EncodedFrames, regionsKey, sameThumbnail } from '../../lib/core/frames/reuse.ts';
import { thumbnailOf } from '../../lib/core/frames/luma.ts';
import { TYPING_HINT_MS, typingHints } from '../../lib/panel/typing.ts';

describe('a question on its way', () => {
  it('starts taking its frame before the panel is told or the turn is saved', async () => {
    const t = makeManager();
    await t.manager.handle({ type: 'share', source: 'tab' });
    const grab = t.capture.grab.bind(t.capture);
    let seenAtGrab: { events: number; saves: number } | undefined;
    t.capture.grab = (opts) => {
      seenAtGrab ??= { events: t.events.length, saves: t.stores.saves };
      return grab(opts);
    };
    const events = t.events.length;
    const saves = t.stores.saves;
    await t.manager.handle({ type: 'ask', text: 'What is this?' });
    expect(seenAtGrab).toEqual({ events, saves });
    expect(t.model.requests).toHaveLength(1);
    expect(t.lastState()!.session.turns[0]!.frameId).toBeDefined();
  });

  it('keeps no frame when no call can be made (not configured), and says so in the turn', async () => {
    const t = makeManager();
    t.stores.settings = normalizeSettings({});
    await t.manager.handle({ type: 'share', source: 'tab' });
    await t.manager.handle({ type: 'ask', text: 'What is this?' });
    expect(t.lastState()!.session.turns[0]).toMatchObject({ status: 'error', error: { kind: 'not-configured' } });
    expect(t.lastState()!.session.turns[0]!.frameId).toBeUndefined();
    expect(t.model.requests).toHaveLength(0);
  });
});

describe('a question being typed', () => {
  it('takes its frame ahead while sharing and opens the proxy connection', async () => {
    const t = makeManager();
    await t.manager.handle({ type: 'typing' });
    expect(t.capture.prepared).toEqual([]);
    expect(t.warmUps).toEqual(['http://proxy']);
    await t.manager.handle({ type: 'share', source: 'tab' });
    await t.manager.handle({ type: 'typing' });
    expect(t.capture.prepared).toEqual([QUESTION_GRAB]);
    expect(t.warmUps).toEqual(['http://proxy', 'http://proxy']);
    // A hint only: nothing is asked, grabbed or shown.
    expect(t.capture.grabs).toBe(0);
    expect(t.lastState()!.session.turns).toEqual([]);
  });

  it('opens no connection before the proxy is set, and prepares nothing while paused', async () => {
    const t = makeManager();
    t.stores.settings = normalizeSettings({});
    await t.manager.handle({ type: 'share', source: 'tab' });
    await t.manager.handle({ type: 'pause' });
    await t.manager.handle({ type: 'typing' });
    expect(t.warmUps).toEqual([]);
    expect(t.capture.prepared).toEqual([]);
  });

  it('the panel hints on the first keystroke, then at most every TYPING_HINT_MS, and anew after the box is cleared', () => {
    let now = 0;
    const sent: number[] = [];
    const edit = typingHints(() => sent.push(now), () => now);
    edit('W');
    now += 100;
    edit('Wh');
    now += TYPING_HINT_MS - 100;
    edit('What');
    now += 10;
    edit('What ');
    edit('');
    now += 10;
    edit('A');
    expect(sent).toEqual([0, TYPING_HINT_MS, TYPING_HINT_MS + 20]);
  });
});

/** A gray test image with a dark square at (x, y), as RGBA. */
function picture(x: number, y: number, w = 96, h = 64) {
  const data = new Uint8ClampedArray(w * h * 4).fill(200);
  for (let j = y; j < y + 8; j++) for (let i = x; i < x + 8; i++) data.set([20, 20, 20, 255], (j * w + i) * 4);
  return { width: w, height: h, data };
}

describe('the encode Worker’s memory of encoded frames', () => {
  const key = { width: 96, height: 64, quality: 0.7, regions: '' };

  it('finds the encoding of the same picture with the same settings only', () => {
    const frames = new EncodedFrames<string>();
    const a = thumbnailOf(picture(10, 10));
    frames.keep(key, a, 'jpeg-a');
    expect(frames.find(key, thumbnailOf(picture(10, 10)))).toBe('jpeg-a');
    expect(frames.find({ ...key, quality: 0.9 }, a)).toBeUndefined();
    expect(frames.find({ ...key, regions: regionsKey([{ x: 0, y: 0, w: 0.5, h: 0.5 }]) }, a)).toBeUndefined();
    // The square moved by one pixel: a new picture, though change detection would call it unchanged.
    expect(frames.find(key, thumbnailOf(picture(11, 10)))).toBeUndefined();
  });

  it('keeps the newest encodings, and lets a failed one go', () => {
    const frames = new EncodedFrames<string>(2);
    frames.keep(key, thumbnailOf(picture(0, 0)), 'one');
    frames.keep(key, thumbnailOf(picture(20, 0)), 'two');
    frames.keep(key, thumbnailOf(picture(40, 0)), 'three');
    expect(frames.size).toBe(2);
    expect(frames.find(key, thumbnailOf(picture(0, 0)))).toBeUndefined();
    expect(frames.find(key, thumbnailOf(picture(40, 0)))).toBe('three');
    frames.forget('three');
    expect(frames.find(key, thumbnailOf(picture(40, 0)))).toBeUndefined();
  });

  it('same picture means every cell within half a luma level, on the same grid and source size', () => {
    const a = thumbnailOf(picture(10, 10));
    const b = { ...a, data: a.data.map((v, i) => (i === 5 ? v + 0.4 : v)) };
    const c = { ...a, data: a.data.map((v, i) => (i === 5 ? v + 2 : v)) };
    expect(sameThumbnail(a, b)).toBe(true);
    expect(sameThumbnail(a, c)).toBe(false);
    expect(sameThumbnail(a, { ...a, sourceWidth: a.sourceWidth * 2 })).toBe(false);
  });
});
