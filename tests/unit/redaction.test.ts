import { describe, expect, it } from 'vitest';
import {
  describeRegion,
  hidesMore,
  maskForEncoding,
  maskRgba,
  normalizeRegions,
  nudgeRegion,
  regionBetween,
  regionPixels,
} from '../../lib/core/frames/redaction.ts';
import { createChangeDetector } from '../../lib/core/frames/change.ts';
import { chatPage } from '../support/clips.ts';

/** A width x height RGBA picture filled with one grey, with an optional bright rectangle (pixels). */
function picture(width: number, height: number, grey = 200, patch?: { x: number; y: number; w: number; h: number }) {
  const data = new Uint8ClampedArray(width * height * 4).fill(grey);
  if (patch) {
    for (let y = patch.y; y < patch.y + patch.h; y++) {
      for (let x = patch.x; x < patch.x + patch.w; x++) data.set([255, 0, 0, 255], (y * width + x) * 4);
    }
  }
  return { width, height, data };
}

const pixel = (img: { width: number; data: Uint8ClampedArray }, x: number, y: number) =>
  Array.from(img.data.slice((y * img.width + x) * 4, (y * img.width + x) * 4 + 4));

describe('masking hidden regions', () => {
  it('blacks out exactly the region, rounding outwards so no partly covered pixel shows', () => {
    const img = picture(100, 50);
    // 10.5% .. 30.2% of 100 px wide = pixels 10..30 inclusive; 20% .. 50% of 50 px high = rows 10..24.
    const covered = maskRgba(img, [{ x: 0.105, y: 0.2, w: 0.197, h: 0.3 }]);
    expect(regionPixels({ x: 0.105, y: 0.2, w: 0.197, h: 0.3 }, 100, 50)).toEqual({ x: 10, y: 10, w: 21, h: 15 });
    expect(covered).toBe(21 * 15);
    expect(pixel(img, 10, 10)).toEqual([0, 0, 0, 255]);
    expect(pixel(img, 30, 24)).toEqual([0, 0, 0, 255]);
    expect(pixel(img, 9, 10)).toEqual([200, 200, 200, 200]);
    expect(pixel(img, 31, 10)).toEqual([200, 200, 200, 200]);
    expect(pixel(img, 10, 25)).toEqual([200, 200, 200, 200]);
  });

  it('holds at any frame size: the same fractions cover the same part of a larger frame', () => {
    for (const [w, h] of [[768, 432], [1536, 864], [333, 187]] as const) {
      const img = picture(w, h);
      maskRgba(img, [{ x: 0.5, y: 0, w: 0.5, h: 1 }]);
      expect(pixel(img, Math.floor(w / 2), 0)).toEqual([0, 0, 0, 255]);
      expect(pixel(img, w - 1, h - 1)).toEqual([0, 0, 0, 255]);
      expect(pixel(img, Math.floor(w / 2) - 1, h - 1)).toEqual([200, 200, 200, 200]);
    }
  });

  it('runs before change detection: a change inside a hidden region is no change, one outside is', () => {
    const detector = createChangeDetector();
    const hidden = [{ x: 0, y: 0, w: 0.5, h: 1 }];
    const source = { width: 640, height: 360 };
    const first = maskForEncoding(chatPage({ width: 640, height: 360, seed: 5, messages: 8 }), hidden, source);
    expect(first.masked).toBe(true);
    expect(detector.consider(first.thumb, 0).changed).toBe(true);

    // A notification pops up in the hidden half: the frame counts as unchanged, so it is not even encoded.
    const inside = maskForEncoding(picture(640, 360, 0, { x: 40, y: 40, w: 200, h: 80 }), hidden, source);
    const before = maskForEncoding(picture(640, 360, 0), hidden, source);
    const d2 = createChangeDetector();
    d2.consider(before.thumb, 0);
    expect(d2.consider(inside.thumb, 1000).changed).toBe(false);
    // The same pop-up in the visible half is a change.
    const outside = maskForEncoding(picture(640, 360, 0, { x: 400, y: 40, w: 200, h: 80 }), hidden, source);
    expect(d2.consider(outside.thumb, 2000).changed).toBe(true);
  });

  it('leaves frames untouched without regions', () => {
    const img = picture(10, 10, 90);
    expect(maskForEncoding(img, [], { width: 10, height: 10 }).masked).toBe(false);
    expect(img.data.every((v) => v === 90)).toBe(true);
  });
});

describe('regions as the user edits them', () => {
  it('a drag in any direction makes the same region; a click is none', () => {
    const up = regionBetween({ x: 0.6, y: 0.8 }, { x: 0.2, y: 0.4 });
    expect(up).toEqual({ x: 0.2, y: 0.4, w: expect.closeTo(0.4, 9), h: expect.closeTo(0.4, 9) });
    expect(regionBetween({ x: 0.2, y: 0.4 }, { x: 0.6, y: 0.8 })).toEqual(up);
    expect(regionBetween({ x: 0.3, y: 0.3 }, { x: 0.302, y: 0.5 })).toBeUndefined();
  });

  it('untrusted input is clamped to the frame, junk dropped', () => {
    expect(normalizeRegions([{ x: -0.2, y: 0.5, w: 0.5, h: 0.9 }, { x: 'a' }, null, { x: 0.1, y: 0.1, w: 0, h: 0.2 }])).toEqual([
      { x: 0, y: 0.5, w: expect.closeTo(0.3, 9), h: 0.5 },
    ]);
    expect(normalizeRegions('nope')).toEqual([]);
  });

  it('arrow keys move the box inside the frame; with resize they grow it, never past the edge', () => {
    const r = { x: 0.9, y: 0.1, w: 0.1, h: 0.1 };
    expect(nudgeRegion(r, 0.02, 0, false).x).toBe(0.9);
    expect(nudgeRegion(r, -0.02, -0.2, false)).toEqual({ x: expect.closeTo(0.88, 9), y: 0, w: 0.1, h: 0.1 });
    expect(nudgeRegion({ ...r, x: 0.5 }, 0.02, 0.02, true)).toEqual({ x: 0.5, y: 0.1, w: expect.closeTo(0.12, 9), h: expect.closeTo(0.12, 9) });
    expect(nudgeRegion(r, 0.5, 0, true).w).toBeCloseTo(0.1, 9);
  });

  it('knows when more is hidden than before (older pixels must then not be sent)', () => {
    const a = { x: 0.1, y: 0.1, w: 0.2, h: 0.2 };
    expect(hidesMore([], [a])).toBe(true);
    expect(hidesMore([a], [])).toBe(false);
    expect(hidesMore([a], [{ ...a, w: 0.1 }])).toBe(false);
    expect(hidesMore([a], [{ ...a, w: 0.3 }])).toBe(true);
    expect(describeRegion(a)).toBe('left 10%, top 10%, 20% wide, 20% high');
  });
});
