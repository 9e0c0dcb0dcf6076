/**
 * Drawing a box on the shared picture, as the region editor (hiding a region) and Point (asking about one) both
 * do: by dragging, or with the arrow keys. The geometry itself is pure (lib/core/frames/redaction.ts:
 * regionBetween, nudgeRegion); this is the part that reads pointer and key events.
 */
import { nudgeRegion, type Region } from '../core/frames/redaction.ts';

/** Where a box placed with the keyboard starts: a quarter of the frame's width and height, centred (fractions). */
export const START_REGION: Region = { x: 0.375, y: 0.375, w: 0.25, h: 0.25 };
/** Arrow keys move the box by 2% of the frame; with Alt, by 0.5%. */
const STEP = 0.02;
const FINE_STEP = 0.005;
const ARROWS: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

/** Where the pointer is over `frame`, as fractions of its width and height, clamped to 0..1. */
export function pointerAt(e: PointerEvent, frame: Element): { x: number; y: number } {
  const box = frame.getBoundingClientRect();
  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  return { x: clamp((e.clientX - box.left) / (box.width || 1)), y: clamp((e.clientY - box.top) / (box.height || 1)) };
}

/** `region` moved (Shift: resized) by an arrow key, or undefined for any other key. */
export function nudgedByKey(e: KeyboardEvent, region: Region): Region | undefined {
  const dir = ARROWS[e.key];
  if (!dir) return undefined;
  const step = e.altKey ? FINE_STEP : STEP;
  return nudgeRegion(region, dir[0] * step, dir[1] * step, e.shiftKey);
}
