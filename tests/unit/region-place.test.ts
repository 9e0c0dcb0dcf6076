import { describe, expect, it } from 'vitest';
import { placeOf } from '../../lib/core/region/place.ts';
import { regionOfBox2d } from '../../lib/core/answers/boxes.ts';

const box = (b: [number, number, number, number]) => placeOf(regionOfBox2d(b)!);

describe('placeOf: a region in words', () => {
  it('names quarters by their corner (box_2d is [ymin, xmin, ymax, xmax])', () => {
    expect(box([500, 500, 1000, 1000])).toEqual({ size: 'quarter', spot: 'bottom-right' });
    expect(box([0, 0, 500, 500])).toEqual({ size: 'quarter', spot: 'top-left' });
    expect(box([0, 500, 500, 1000])).toEqual({ size: 'quarter', spot: 'top-right' });
    expect(box([500, 0, 1000, 500])).toEqual({ size: 'quarter', spot: 'bottom-left' });
  });

  it('names halves by their side', () => {
    expect(box([0, 0, 500, 1000])).toEqual({ size: 'half', spot: 'top' });
    expect(box([500, 0, 1000, 1000])).toEqual({ size: 'half', spot: 'bottom' });
    expect(box([0, 0, 1000, 500])).toEqual({ size: 'half', spot: 'left' });
    expect(box([0, 500, 1000, 1000])).toEqual({ size: 'half', spot: 'right' });
  });

  it('knows the whole picture, and places any other part by its centre on a 3×3 grid', () => {
    expect(box([0, 0, 1000, 1000])).toEqual({ size: 'whole', spot: 'centre' });
    expect(box([20, 10, 990, 995])).toEqual({ size: 'whole', spot: 'centre' });
    expect(box([400, 400, 600, 600])).toEqual({ size: 'part', spot: 'centre' });
    expect(box([850, 850, 950, 950])).toEqual({ size: 'part', spot: 'bottom-right' });
    expect(box([50, 400, 150, 600])).toEqual({ size: 'part', spot: 'top' });
    expect(box([400, 0, 600, 100])).toEqual({ size: 'part', spot: 'left' });
    // Half the size but in the middle is not "a quarter": a quarter sits in a corner.
    expect(box([250, 250, 750, 750])).toEqual({ size: 'part', spot: 'centre' });
    // A full-width strip in the middle is a part, not a half.
    expect(box([300, 0, 700, 1000])).toEqual({ size: 'part', spot: 'centre' });
  });
});
