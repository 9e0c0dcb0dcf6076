/** Answers that point back: box_2d parsing (good, malformed, out of range) and the place-question classifier. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_BOXES, box2dOf, isPlaceQuestion, parseBoxes, regionOfBox2d } from '../../lib/core/answers/boxes.ts';

describe('box_2d', () => {
  it('reads [ymin, xmin, ymax, xmax] in 0..1000 as fractions of the frame', () => {
    expect(regionOfBox2d([100, 200, 500, 800])).toEqual({ x: 0.2, y: 0.1, w: 0.6, h: 0.4 });
    expect(regionOfBox2d([0, 0, 1000, 1000])).toEqual({ x: 0, y: 0, w: 1, h: 1 });
  });

  it('drops anything else rather than guess: never clamped, never reordered', () => {
    for (const bad of [
      [100, 200, 500], // three numbers
      [100, 200, 500, 800, 900], // five
      [500, 200, 100, 800], // ymin > ymax
      [100, 800, 500, 200], // xmin > xmax
      [100, 200, 100, 800], // no height
      [-1, 200, 500, 800], // below the range
      [100, 200, 500, 1001], // above the range
      ['100', 200, 500, 800], // a string
      [100, null, 500, 800],
      [100, NaN, 500, 800],
      [100, 200, Infinity, 800],
      { ymin: 100, xmin: 200, ymax: 500, xmax: 800 },
      '100,200,500,800',
      undefined,
    ]) {
      expect(regionOfBox2d(bad), JSON.stringify(bad)).toBeUndefined();
    }
  });

  it('round-trips a region (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 0, max: 999 }), fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 1000 }), (y0, x0, dy, dx) => {
        const box = [y0, x0, Math.min(1000, y0 + dy), Math.min(1000, x0 + dx)];
        if (box[2]! <= box[0]! || box[3]! <= box[1]!) return;
        expect(box2dOf(regionOfBox2d(box)!)).toEqual(box);
      }),
    );
  });
});

describe('parseBoxes', () => {
  it('takes point_at arguments, a { boxes } object or a list', () => {
    const one = { label: 'Export button', box_2d: [10, 900, 60, 990] };
    expect(parseBoxes(one)).toEqual({ boxes: [{ label: 'Export button', box: { x: 0.9, y: 0.01, w: 0.09, h: 0.05 } }], dropped: 0 });
    expect(parseBoxes({ boxes: [one, one] }).boxes).toHaveLength(2);
    expect(parseBoxes([one]).boxes).toHaveLength(1);
  });

  it('drops malformed entries, counts them, and keeps the good ones in order', () => {
    const res = parseBoxes([
      { label: 'first', box_2d: [0, 0, 10, 10] },
      { label: 'out of range', box_2d: [0, 0, 10, 1200] },
      { label: '', box_2d: [0, 0, 10, 10] },
      { label: 42, box_2d: [0, 0, 10, 10] },
      { box_2d: [0, 0, 10, 10] },
      'a string',
      null,
      [0, 0, 10, 10],
      { label: '  second\n line ', box_2d: [20, 20, 30, 30] },
    ]);
    expect(res.boxes.map((b) => b.label)).toEqual(['first', 'second line']);
    expect(res.dropped).toBe(7);
  });

  it('never throws and keeps at most a dozen; long labels are cut', () => {
    for (const junk of [undefined, null, 0, 'x', [], {}, { boxes: 'no' }, { boxes: [[]] }]) expect(() => parseBoxes(junk)).not.toThrow();
    const many = Array.from({ length: 20 }, (_, i) => ({ label: `b${i}`, box_2d: [0, 0, 10, 10] }));
    expect(parseBoxes(many).boxes).toHaveLength(MAX_BOXES);
    expect(parseBoxes({ label: 'x'.repeat(200), box_2d: [0, 0, 1, 1] }).boxes[0]!.label).toHaveLength(80);
  });
});

describe('isPlaceQuestion', () => {
  it('hears questions about where something is', () => {
    for (const q of [
      'Where is the export button?',
      "where's the total",
      'Which line has the error?',
      'Which button saves the file?',
      'Find the word "invoice"',
      'Point to the logo',
      'Can you point out the typo?',
      'show me where I click to share',
      'Locate the search box',
      'How do I get to the settings?',
    ]) {
      expect(isPlaceQuestion(q), q).toBe(true);
    }
  });

  it('leaves other questions alone', () => {
    for (const q of ['What does this error mean?', 'Summarise this page', 'Is this chart going up?', 'What did he say?', 'Translate the title']) {
      expect(isPlaceQuestion(q), q).toBe(false);
    }
  });
});
