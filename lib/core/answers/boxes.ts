/**
 * Answers that point back (issue 14, item 2): boxes the model marks on the question's frame, read defensively.
 * Pure.
 *
 * Gemini's convention for a box is `box_2d: [ymin, xmin, ymax, xmax]`, each normalised to 0..1000 of the
 * image's height or width, origin at the top-left corner
 * (https://ai.google.dev/gemini-api/docs/image-understanding, "Object detection"). A box that breaks it in any
 * way (not four numbers, a number outside 0..1000, min not below max, a string where a number belongs) is
 * dropped, never clamped or reordered: a box drawn in the wrong place is worse than no box.
 */
import type { Region } from '../frames/redaction.ts';

/** A place the answer points at: what it is, and where on the question's frame (fractions of its width and height). */
export interface PointedBox {
  label: string;
  box: Region;
}

/** Most boxes kept per answer: more would cover the frame and say nothing. */
export const MAX_BOXES = 12;
/** Longest label kept (characters); a longer one is cut with an ellipsis. */
export const MAX_LABEL_CHARS = 80;
/** Gemini's box scale: 1000 is the full width or height. */
export const BOX_SCALE = 1000;

/**
 * `[ymin, xmin, ymax, xmax]` in 0..1000 as a Region (fractions). Undefined unless it is exactly four finite
 * numbers, each within 0..1000, with ymin < ymax and xmin < xmax.
 */
export function regionOfBox2d(box2d: unknown): Region | undefined {
  if (!Array.isArray(box2d) || box2d.length !== 4) return undefined;
  if (!box2d.every((v): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= BOX_SCALE)) return undefined;
  const [ymin, xmin, ymax, xmax] = box2d as [number, number, number, number];
  if (!(ymin < ymax) || !(xmin < xmax)) return undefined;
  return { x: xmin / BOX_SCALE, y: ymin / BOX_SCALE, w: (xmax - xmin) / BOX_SCALE, h: (ymax - ymin) / BOX_SCALE };
}

/** A Region (fractions) as Gemini's `[ymin, xmin, ymax, xmax]` in 0..1000, rounded to whole units. */
export function box2dOf(r: Region): [number, number, number, number] {
  const v = (f: number) => Math.round(Math.min(1, Math.max(0, f)) * BOX_SCALE);
  return [v(r.y), v(r.x), v(r.y + r.h), v(r.x + r.w)];
}

function labelOf(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const one = raw.replace(/\s+/g, ' ').trim();
  if (!one) return undefined;
  return one.length > MAX_LABEL_CHARS ? `${one.slice(0, MAX_LABEL_CHARS - 1)}…` : one;
}

function boxOf(item: unknown): PointedBox | undefined {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return undefined;
  const rec = item as Record<string, unknown>;
  const label = labelOf(rec.label);
  const box = regionOfBox2d(rec.box_2d);
  return label && box ? { label, box } : undefined;
}

/**
 * The boxes in what the model sent: one `{label, box_2d}`, `{boxes: [...]}`, or a list of them (point_at's
 * arguments, or a JSON answer). Malformed entries are dropped and counted; at most MAX_BOXES are kept, first
 * come first. Never throws.
 */
export function parseBoxes(input: unknown): { boxes: PointedBox[]; dropped: number } {
  const rec = typeof input === 'object' && input !== null && !Array.isArray(input) ? (input as Record<string, unknown>) : undefined;
  const items: unknown[] = Array.isArray(input) ? input : Array.isArray(rec?.boxes) ? (rec.boxes as unknown[]) : rec ? [rec] : [input];
  const boxes: PointedBox[] = [];
  let dropped = 0;
  for (const item of items) {
    const box = boxOf(item);
    if (box && boxes.length < MAX_BOXES) boxes.push(box);
    else dropped++;
  }
  return { boxes, dropped };
}

// Question words that ask where something is on the screen. Each says "a place", not merely "a thing".
const PLACE_PATTERNS: readonly RegExp[] = [
  /\bwhere(?:'s| is| are| do| does| did| can| should| would|abouts)\b/,
  /\bwhich (?:line|row|column|cell|button|link|tab|icon|field|box|menu|option|item|window|panel|one|part|word|entry|setting)s?\b/,
  /\b(?:find|locate|spot|highlight|circle|mark)\b/,
  /\bpoint (?:to|at|out)\b/,
  /\bshow me (?:where|which)\b/,
  /\bhow do i (?:get to|open|reach)\b/,
];

/**
 * Whether a question asks where something is on the screen ("where is the export button?", "which line has
 * the error?", "find the total", "point to the logo"): then the answer is asked for boxes. Pure; English only.
 */
export function isPlaceQuestion(question: string): boolean {
  const q = question.toLowerCase().replace(/[’‘]/g, "'");
  return PLACE_PATTERNS.some((p) => p.test(q));
}
