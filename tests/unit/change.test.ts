import { describe, expect, it } from 'vitest';
import { createChangeDetector, DEFAULT_MIN_CHANGED_AREA } from '../../lib/core/frames/change.ts';
import { lumaThumbnail, thumbnailOf } from '../../lib/core/frames/luma.ts';
import { blank, changeCases, chatPage, downscale, fillRect } from '../support/clips.ts';

describe('lumaThumbnail', () => {
  it('averages every source pixel of a cell', () => {
    const img = blank(40, 20, [0, 0, 0]);
    fillRect(img, 20, 0, 20, 20, [255, 255, 255]); // right half white
    fillRect(img, 0, 0, 10, 10, [255, 255, 255]); // a quarter of the left 20x20 cell
    const t = lumaThumbnail(img.data, 40, 20, 2, 1);
    expect(t.width).toBe(2);
    expect(t.data[0]).toBeCloseTo(255 / 4, 0);
    expect(t.data[1]).toBeCloseTo(255, 0);
  });
});

// Each case: the first frame is kept; every later frame must be classified as the case says.
const runs: Array<[number, number, number]> = [
  [1280, 720, 1],
  [1280, 720, 2],
  [1920, 1080, 3],
  [768, 432, 4],
];

describe.each(runs)('change detection on generated clips, %ix%i seed %i', (w, h, seed) => {
  for (const c of changeCases(w, h, seed)) {
    it(`${c.name} is ${c.expectChanged ? 'changed' : 'unchanged'}`, () => {
      const det = createChangeDetector();
      expect(det.consider(thumbnailOf(c.frames[0]!), 0).changed).toBe(true);
      for (let i = 1; i < c.frames.length; i++) {
        const v = det.consider(thumbnailOf(c.frames[i]!), i * 1000);
        expect({ frame: i, changed: v.changed }).toEqual({ frame: i, changed: c.expectChanged });
      }
    });
  }
});

describe('change detector', () => {
  const a = thumbnailOf(chatPage({ width: 640, height: 360, seed: 5, messages: 8 }));
  const b = thumbnailOf(chatPage({ width: 640, height: 360, seed: 6, messages: 8 }));

  it('compares with the last frame kept, not the last frame seen', () => {
    const det = createChangeDetector();
    det.consider(a, 0);
    expect(det.consider(b, 1000)).toMatchObject({ changed: true });
    expect(det.consider(b, 2000)).toMatchObject({ changed: false, score: 0 });
    expect(det.lastKeptAt).toBe(1000);
    det.keep(a, 3000);
    expect(det.consider(b, 4000).changed).toBe(true);
  });

  it('treats the first frame, or a new frame size, as changed', () => {
    const det = createChangeDetector();
    expect(det.consider(a, 0).changed).toBe(true);
    expect(det.consider(a, 1).changed).toBe(false);
    expect(det.consider(thumbnailOf(chatPage({ width: 640, height: 480, seed: 5, messages: 8 })), 2).changed).toBe(true);
  });

  it('measures a pre-scaled frame in the original pixels, so a chat line on a 1080p tab still counts', () => {
    const fit = Math.floor((1080 - 142) / 24) + 1;
    const before = chatPage({ width: 1920, height: 1080, seed: 9, messages: fit - 1 });
    const after = chatPage({ width: 1920, height: 1080, seed: 9, messages: fit, lastMessageChars: 16 });
    const caretOff = chatPage({ width: 1920, height: 1080, seed: 9, messages: fit - 1, caretOn: false });
    const src = { width: 1920, height: 1080 };
    const small = (img: typeof before) => thumbnailOf(downscale(img, 768, 432), src);
    const det = createChangeDetector();
    det.consider(small(before), 0);
    expect(det.consider(small(caretOff), 1).changed).toBe(false);
    const v = det.consider(small(after), 2);
    expect(v.changed).toBe(true);
    expect(v.score).toBeGreaterThan(DEFAULT_MIN_CHANGED_AREA);
  });
});

describe('a page that changes colour all over', () => {
  const solid = (luma: number) => {
    const w = 640, h = 360;
    const data = new Uint8ClampedArray(w * h * 4);
    for (let i = 0; i < data.length; i += 4) data.set([luma, luma, luma, 255], i);
    return thumbnailOf({ width: w, height: h, data });
  };

  it('is a change (a frame-wide shift this large is not exposure drift), while drift of a few levels is not', () => {
    const det = createChangeDetector();
    det.consider(solid(129), 0); // green's luminance
    expect(det.consider(solid(132), 1).changed).toBe(false);
    expect(det.consider(solid(25), 2).changed).toBe(true); // blue's
  });
});
