/**
 * Scripted clips for the session benchmark and tests: a timeline of scenes drawn with tests/support/clips.ts,
 * each still scene alive with shimmer, sensor noise or a blinking caret, so the change detector must tell a real
 * scene change from noise. Deterministic: the same script draws the same pixels.
 */
import type { RgbaImage } from '../../lib/core/frames/luma.ts';
import { chatPage, compressionShimmer, deskScene, fillRect, rng, sensorNoise, slide, textLine } from './clips.ts';

export interface SceneSpan {
  /** Index of the scene in the clip; a new index is a scene change. */
  index: number;
  name: string;
  startMs: number;
  /** How long the scene stays on screen, ms (the last one: until the clip loops). */
  durationMs: number;
}

export interface ClipFrame {
  scene: SceneSpan;
  /** Identifies identical pixels (for caching renders and encodes). */
  key: string;
  image: RgbaImage;
}

export interface ScriptedClip {
  width: number;
  height: number;
  durationMs: number;
  scenes: SceneSpan[];
  /** The frame shown at t (ms from the start); the clip loops after durationMs. */
  frameAt(t: number): ClipFrame;
}

type Base = { kind: 'slide'; seed: number } | { kind: 'chat'; messages: number; scroll: number; lastChars?: number } | { kind: 'desk'; mug: boolean };
/** A scene: a slide, a chat page or a camera view of a desk, optionally with a notification toast on top. */
export type SceneKind = Base | { kind: 'toast'; over: Base; seed: number };

function drawBase(k: Base, width: number, height: number, caretOn: boolean): RgbaImage {
  if (k.kind === 'slide') return slide(width, height, k.seed);
  if (k.kind === 'desk') return deskScene(width, height, 7, k.mug);
  return chatPage({ width, height, seed: 42, messages: k.messages, scroll: k.scroll, lastMessageChars: k.lastChars, caretOn });
}

/** A notification in the top-right corner: a dark card with a title and two lines of text. */
function drawToast(img: RgbaImage, seed: number): RgbaImage {
  const r = rng(seed);
  const w = Math.round(img.width * 0.34);
  const h = Math.round(img.height * 0.2);
  const x = img.width - w - 16;
  fillRect(img, x, 16, w, h, [38, 40, 48]);
  textLine(img, x + 14, 28, 18, 14, [255, 255, 255], r);
  textLine(img, x + 14, 54, 30, 11, [200, 200, 210], r);
  textLine(img, x + 14, 74, 24, 11, [200, 200, 210], r);
  return img;
}

/** A clip from a script of [start ms, name, scene]; the clip lasts durationMs and loops. */
export function scriptedClip(script: Array<[number, string, SceneKind]>, durationMs: number, width = 768, height = 432): ScriptedClip {
  const scenes: SceneSpan[] = script.map(([startMs, name], index) => ({
    index,
    name,
    startMs,
    durationMs: (script[index + 1]?.[0] ?? durationMs) - startMs,
  }));
  const cache = new Map<string, RgbaImage>();
  const render = (i: number, caretOn: boolean): RgbaImage => {
    const key = `base${i}:${caretOn}`;
    let img = cache.get(key);
    if (!img) {
      const k = script[i]![2];
      img = k.kind === 'toast' ? drawToast(drawBase(k.over, width, height, caretOn), k.seed) : drawBase(k, width, height, caretOn);
      cache.set(key, img);
    }
    return img;
  };
  return {
    width,
    height,
    durationMs,
    scenes,
    frameAt(t) {
      const local = ((t % durationMs) + durationMs) % durationMs;
      let i = 0;
      while (i + 1 < scenes.length && scenes[i + 1]!.startMs <= local) i++;
      const k = script[i]![2];
      const kind = k.kind === 'toast' ? k.over.kind : k.kind;
      // Four variants of each still scene: fresh shimmer, sensor noise or caret phase every half second.
      const variant = Math.floor(local / 500) % 4;
      const key = `${i}:${variant}`;
      let image = cache.get(key);
      if (!image) {
        const r = rng(i * 31 + variant);
        if (kind === 'slide') image = compressionShimmer(render(i, true), r);
        else if (kind === 'desk') image = sensorNoise(render(i, true), 7, variant - 1.5, r);
        else image = render(i, variant % 2 === 0);
        cache.set(key, image);
      }
      return { scene: scenes[i]!, key, image };
    },
  };
}

/**
 * Ten minutes of a person watching a lecture and a chat: slides with video shimmer, a chat page with a blinking
 * caret that gets a new line twice and scrolls once, a camera view of a desk where a mug appears. Twelve scene
 * changes, quiet stretches between them.
 */
export function lectureClip(width = 768, height = 432): ScriptedClip {
  const fit = Math.floor((height - 142) / 24) + 1;
  return scriptedClip([
    [0, 'slide 1', { kind: 'slide', seed: 101 }],
    [40_000, 'slide 2', { kind: 'slide', seed: 102 }],
    [95_000, 'slide 3', { kind: 'slide', seed: 103 }],
    [150_000, 'chat window', { kind: 'chat', messages: fit - 3, scroll: 0 }],
    [190_000, 'chat: a new line', { kind: 'chat', messages: fit - 2, scroll: 0, lastChars: 16 }],
    [240_000, 'chat scrolled', { kind: 'chat', messages: fit - 2, scroll: 48 }],
    [280_000, 'chat: another new line', { kind: 'chat', messages: fit - 1, scroll: 48, lastChars: 20 }],
    [330_000, 'camera: desk', { kind: 'desk', mug: false }],
    [370_000, 'camera: a mug appears', { kind: 'desk', mug: true }],
    [420_000, 'slide 4', { kind: 'slide', seed: 104 }],
    [470_000, 'slide 5', { kind: 'slide', seed: 105 }],
    [520_000, 'slide 6', { kind: 'slide', seed: 106 }],
    [565_000, 'slide 7', { kind: 'slide', seed: 107 }],
  ], 600_000, width, height);
}

/**
 * Two minutes in which most scenes are gone before the next question (asked every 30 s from 0:25): slides
 * flipped past in 1 and 3 s, a notification toast of 1.5 s, a chat scrolled for 2 s, a mug that appears for 2 s,
 * five scenes between two questions. Twelve scene changes; five scenes are shown for 3 s or less, some in the
 * middle of quiet stretches (where an adaptive sampler has slowed down), and eight of the twelve are gone when
 * the next question is asked.
 */
export function shortScenesClip(width = 768, height = 432): ScriptedClip {
  const fit = Math.floor((height - 142) / 24) + 1;
  const chat: Base = { kind: 'chat', messages: fit - 3, scroll: 0 };
  return scriptedClip([
    [0, 'slide A', { kind: 'slide', seed: 201 }],
    [10_000, 'slide B, flipped past in 3 s', { kind: 'slide', seed: 202 }],
    [13_000, 'slide C', { kind: 'slide', seed: 203 }],
    [30_000, 'chat window', chat],
    [33_000, 'toast over the chat, 1.5 s', { kind: 'toast', over: chat, seed: 7 }],
    [34_500, 'chat: a new line', { kind: 'chat', messages: fit - 2, scroll: 0, lastChars: 16 }],
    [47_000, 'chat scrolled, 2 s', { kind: 'chat', messages: fit - 2, scroll: 48 }],
    [49_000, 'camera: desk', { kind: 'desk', mug: false }],
    [68_000, 'camera: a mug for 2 s', { kind: 'desk', mug: true }],
    [70_000, 'slide D', { kind: 'slide', seed: 204 }],
    [100_000, 'slide E, 1 s', { kind: 'slide', seed: 205 }],
    [101_000, 'slide F', { kind: 'slide', seed: 206 }],
    [108_000, 'slide G', { kind: 'slide', seed: 207 }],
  ], 120_000, width, height);
}
