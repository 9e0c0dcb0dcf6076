/** Point and ask: crop geometry for any aspect ratio and HiDPI, and hidden regions that stay black in the crop. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SCALED_CROP_MARGIN_PX, cropCaptureScale, cropPlan, cssRectOf, regionOfCssRect, regionsInCrop } from '../../lib/core/region/crop.ts';
import { regionPixels, type Region } from '../../lib/core/frames/redaction.ts';

describe('cropPlan', () => {
  it('cuts the region out at full resolution, for wide, tall and square pictures', () => {
    const region = { x: 0.25, y: 0.5, w: 0.5, h: 0.25 };
    expect(cropPlan(region, { width: 1920, height: 1080 })).toEqual({
      rect: { x: 480, y: 540, w: 960, h: 270 },
      region: { x: 0.25, y: 0.5, w: 0.5, h: 0.25 },
      width: 960,
      height: 270,
    });
    expect(cropPlan(region, { width: 720, height: 1280 })!.rect).toEqual({ x: 180, y: 640, w: 360, h: 320 });
    expect(cropPlan(region, { width: 1000, height: 1000 })!.rect).toEqual({ x: 250, y: 500, w: 500, h: 250 });
  });

  it('on a HiDPI tab the same region is twice the source pixels, and the minimum size is in CSS pixels', () => {
    const region = { x: 0.5, y: 0.5, w: 0.1, h: 0.1 };
    const css = cropPlan(region, { width: 1280, height: 720 }, { pixelRatio: 1 })!;
    const hidpi = cropPlan(region, { width: 2560, height: 1440 }, { pixelRatio: 2 })!;
    expect(css.rect).toEqual({ x: 640, y: 360, w: 128, h: 72 });
    expect(hidpi.rect).toEqual({ x: 1280, y: 720, w: 256, h: 144 });
    expect(hidpi.region).toEqual(css.region);
    // A 10 x 10 CSS px drag grows to 32 x 32 CSS px = 64 x 64 device px around its centre.
    const tiny = { x: 0.5, y: 0.5, w: 10 / 1280, h: 10 / 720 };
    expect(cropPlan(tiny, { width: 1280, height: 720 })!.rect).toEqual({ x: 629, y: 349, w: 32, h: 32 });
    expect(cropPlan(tiny, { width: 2560, height: 1440 }, { pixelRatio: 2 })!.rect).toEqual({ x: 1258, y: 698, w: 64, h: 64 });
  });

  it('clamps to the picture: a region over the edge keeps what is inside; a small one at the edge grows inwards', () => {
    expect(cropPlan({ x: 0.9, y: -0.2, w: 0.3, h: 0.5 }, { width: 1000, height: 500 })!.rect).toEqual({ x: 900, y: 0, w: 100, h: 150 });
    const corner = cropPlan({ x: 0.995, y: 0.99, w: 0.005, h: 0.01 }, { width: 1000, height: 500 })!;
    expect(corner.rect).toEqual({ x: 968, y: 468, w: 32, h: 32 });
    // The minimum cannot exceed the picture itself.
    expect(cropPlan({ x: 0.1, y: 0.1, w: 0.5, h: 0.5 }, { width: 20, height: 10 })!.rect).toEqual({ x: 0, y: 0, w: 20, h: 10 });
  });

  it('scales a large crop down to fit maxSide, keeping its shape; never scales up', () => {
    const big = cropPlan({ x: 0, y: 0, w: 1, h: 0.5 }, { width: 3840, height: 2160 }, { maxSide: 1536 })!;
    expect(big.rect).toEqual({ x: 0, y: 0, w: 3840, h: 1080 });
    expect([big.width, big.height]).toEqual([1536, 432]);
    const small = cropPlan({ x: 0, y: 0, w: 0.5, h: 0.5 }, { width: 400, height: 300 })!;
    expect([small.width, small.height]).toEqual([200, 150]);
  });

  it('refuses what is not a region, or a picture without pixels', () => {
    expect(cropPlan({ x: NaN, y: 0, w: 1, h: 1 }, { width: 100, height: 100 })).toBeUndefined();
    // A click (no size) is a point to look at: it grows to the minimum.
    expect(cropPlan({ x: 0.5, y: 0.5, w: 0, h: 0 }, { width: 100, height: 100 })!.rect).toEqual({ x: 34, y: 34, w: 32, h: 32 });
    expect(cropPlan({ x: 2, y: 2, w: 1, h: 1 }, { width: 100, height: 100 })).toBeUndefined();
    expect(cropPlan({ x: 0, y: 0, w: 1, h: 1 }, { width: 0, height: 100 })).toBeUndefined();
  });

  it('every region gives a rectangle inside the picture that contains it (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4000 }), fc.integer({ min: 1, max: 4000 }),
        fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0.01, max: 1, noNaN: true }), fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.constantFrom(1, 1.25, 2, 3),
        (W, H, x, y, w, h, ratio) => {
          const plan = cropPlan({ x, y, w, h }, { width: W, height: H }, { pixelRatio: ratio });
          if (!plan) return x >= 1 || y >= 1;
          const { rect } = plan;
          expect(rect.x).toBeGreaterThanOrEqual(0);
          expect(rect.y).toBeGreaterThanOrEqual(0);
          expect(rect.x + rect.w).toBeLessThanOrEqual(W);
          expect(rect.y + rect.h).toBeLessThanOrEqual(H);
          expect(rect.w).toBeGreaterThanOrEqual(Math.min(W, Math.floor(32 * ratio)));
          expect(rect.h).toBeGreaterThanOrEqual(Math.min(H, Math.floor(32 * ratio)));
          // The pointed-at area (clamped) is inside the crop.
          expect(rect.x).toBeLessThanOrEqual(Math.ceil(x * W));
          expect(rect.x + rect.w).toBeGreaterThanOrEqual(Math.floor(Math.min(1, x + w) * W));
          expect(Math.max(plan.width, plan.height)).toBeLessThanOrEqual(1536);
          return true;
        },
      ),
    );
  });
});

/** The source pixels a full-frame mask blackens (what the encode Worker does to a whole frame). */
function sourceMask(W: number, H: number, hidden: Region[]): Uint8Array {
  const m = new Uint8Array(W * H);
  for (const r of hidden) {
    const p = regionPixels(r, W, H);
    for (let y = p.y; y < p.y + p.h; y++) for (let x = p.x; x < p.x + p.w; x++) m[y * W + x] = 1;
  }
  return m;
}

describe('hidden regions inside a crop', () => {
  it('translate into the crop, clipped; those that miss it are left out', () => {
    const crop = { x: 0.5, y: 0.5, w: 0.5, h: 0.5 };
    expect(regionsInCrop([{ x: 0.25, y: 0.25, w: 0.5, h: 0.5 }, { x: 0, y: 0, w: 0.25, h: 0.25 }], crop, { width: 100, height: 100 })).toEqual([
      { x: 0, y: 0, w: 0.5, h: 0.5 },
    ]);
  });

  it('stay black in a full-resolution crop exactly as when the whole frame is masked first (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 40, max: 160 }), fc.integer({ min: 40, max: 160 }),
        fc.record({ x: fc.double({ min: 0, max: 0.8, noNaN: true }), y: fc.double({ min: 0, max: 0.8, noNaN: true }), w: fc.double({ min: 0.2, max: 1, noNaN: true }), h: fc.double({ min: 0.2, max: 1, noNaN: true }) }),
        fc.array(fc.record({ x: fc.double({ min: 0, max: 0.95, noNaN: true }), y: fc.double({ min: 0, max: 0.95, noNaN: true }), w: fc.double({ min: 0.01, max: 0.5, noNaN: true }), h: fc.double({ min: 0.01, max: 0.5, noNaN: true }) }), { minLength: 1, maxLength: 4 }),
        (W, H, region, hidden) => {
          const plan = cropPlan(region, { width: W, height: H }, { minCssPx: 8 })!;
          expect([plan.width, plan.height]).toEqual([plan.rect.w, plan.rect.h]);
          const full = sourceMask(W, H, hidden);
          const inCrop = sourceMask(plan.width, plan.height, regionsInCrop(hidden, plan.region, plan));
          for (let j = 0; j < plan.height; j++) {
            for (let i = 0; i < plan.width; i++) {
              const src = full[(plan.rect.y + j) * W + plan.rect.x + i]!;
              // Never shows a pixel the full-frame mask hides; at most one pixel more at an edge (float rounding).
              if (src) expect(inCrop[j * plan.width + i]).toBe(1);
            }
          }
          const extra = inCrop.reduce((n, v, k) => n + (v && !full[(plan.rect.y + Math.floor(k / plan.width)) * W + plan.rect.x + (k % plan.width)] ? 1 : 0), 0);
          expect(extra).toBeLessThanOrEqual(2 * (plan.width + plan.height) * hidden.length);
        },
      ),
    );
  });

  it('a scaled-down crop masks every output pixel whose resampling footprint touches a hidden pixel (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 100, max: 300 }), fc.integer({ min: 100, max: 300 }),
        fc.array(fc.record({ x: fc.double({ min: 0, max: 0.9, noNaN: true }), y: fc.double({ min: 0, max: 0.9, noNaN: true }), w: fc.double({ min: 0.01, max: 0.3, noNaN: true }), h: fc.double({ min: 0.01, max: 0.3, noNaN: true }) }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 20, max: 80 }),
        (W, H, hidden, maxSide) => {
          const plan = cropPlan({ x: 0.1, y: 0.1, w: 0.8, h: 0.8 }, { width: W, height: H }, { maxSide })!;
          const full = sourceMask(W, H, hidden);
          const out = sourceMask(plan.width, plan.height, regionsInCrop(hidden, plan.region, plan, SCALED_CROP_MARGIN_PX));
          const sx = plan.rect.w / plan.width;
          const sy = plan.rect.h / plan.height;
          for (let j = 0; j < plan.height; j++) {
            for (let i = 0; i < plan.width; i++) {
              // A bilinear or box filter reads the pixel's footprint and up to one source pixel around it.
              const x0 = Math.max(0, Math.floor(plan.rect.x + i * sx) - 1);
              const x1 = Math.min(W, Math.ceil(plan.rect.x + (i + 1) * sx) + 1);
              const y0 = Math.max(0, Math.floor(plan.rect.y + j * sy) - 1);
              const y1 = Math.min(H, Math.ceil(plan.rect.y + (j + 1) * sy) + 1);
              let touches = false;
              for (let y = y0; y < y1 && !touches; y++) for (let x = x0; x < x1; x++) if (full[y * W + x]) { touches = true; break; }
              if (touches) expect(out[j * plan.width + i], `pixel ${i},${j}`).toBe(1);
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('CSS pixels (Firefox captureVisibleTab)', () => {
  it('converts between a CSS rectangle and fractions, rounding outwards', () => {
    const r = regionOfCssRect({ x: 128, y: 72, w: 256, h: 144 }, { width: 1280, height: 720 })!;
    for (const [k, v] of Object.entries({ x: 0.1, y: 0.1, w: 0.2, h: 0.2 })) expect(r[k as keyof Region]).toBeCloseTo(v, 12);
    expect(cssRectOf({ x: 0.101, y: 0.125, w: 0.2, h: 0.25 }, { width: 1280, height: 720 })).toEqual({ x: 129, y: 90, w: 257, h: 180 });
    expect(regionOfCssRect({ x: 0, y: 0, w: 10, h: 10 }, { width: 0, height: 720 })).toBeUndefined();
  });

  it('captures a crop at the screen\'s own detail, less when it would pass maxSide', () => {
    expect(cropCaptureScale(400, 300, 1536, 2)).toBe(2);
    expect(cropCaptureScale(1280, 720, 1536, 2)).toBeCloseTo(1.2);
    expect(cropCaptureScale(0, 0, 1536, 0)).toBe(1);
  });
});
