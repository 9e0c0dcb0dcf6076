/**
 * Generated test clips, in memory: RGBA frames of the scenes change detection must tell apart (docs/decisions/0002-change-detection.md).
 * Everything is drawn from a seeded PRNG, so a failing case can be re-run exactly.
 */
import type { RgbaImage } from '../../lib/core/frames/luma.ts';

export type Rgb = readonly [number, number, number];

/** mulberry32: small, fast, seedable. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(r() || 1e-9)) * Math.cos(2 * Math.PI * r());
}

export function blank(width: number, height: number, rgb: Rgb): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < data.length; i += 4) {
    data[i] = rgb[0]; data[i + 1] = rgb[1]; data[i + 2] = rgb[2]; data[i + 3] = 255;
  }
  return { width, height, data };
}

export function copy(img: RgbaImage): RgbaImage {
  return { width: img.width, height: img.height, data: new Uint8ClampedArray(img.data) };
}

export function fillRect(img: RgbaImage, x: number, y: number, w: number, h: number, rgb: Rgb): void {
  const x0 = Math.max(0, Math.round(x)), y0 = Math.max(0, Math.round(y));
  const x1 = Math.min(img.width, Math.round(x + w)), y1 = Math.min(img.height, Math.round(y + h));
  for (let yy = y0; yy < y1; yy++) {
    for (let xx = x0; xx < x1; xx++) {
      const i = (yy * img.width + xx) * 4;
      img.data[i] = rgb[0]; img.data[i + 1] = rgb[1]; img.data[i + 2] = rgb[2];
    }
  }
}

function fillEllipse(img: RgbaImage, cx: number, cy: number, rx: number, ry: number, rgb: Rgb): void {
  for (let y = Math.floor(cy - ry); y <= cy + ry; y++) {
    const dy = (y - cy) / ry;
    const half = rx * Math.sqrt(Math.max(0, 1 - dy * dy));
    fillRect(img, cx - half, y, 2 * half, 1, rgb);
  }
}

/**
 * A line of fake glyphs `size` px tall: each character is two to four 1-2 px strokes (stems and bars), so the
 * ink covers about as much of the line as real small text does. Returns the width drawn.
 */
export function textLine(img: RgbaImage, x: number, y: number, chars: number, size: number, rgb: Rgb, r: () => number): number {
  const adv = Math.max(4, Math.round(size * 0.55));
  const stroke = size >= 20 ? 2 : 1;
  const xh = Math.round(size * 0.55);
  for (let c = 0; c < chars; c++) {
    const cx = x + c * adv;
    if (r() < 0.16) continue; // a space
    const tall = r() < 0.35;
    const top = y + (tall ? 0 : size - xh);
    const gh = tall ? size : xh;
    const gw = adv - stroke - 1;
    const strokes = 2 + Math.floor(r() * 3);
    for (let s = 0; s < strokes; s++) {
      const k = Math.floor(r() * 6);
      if (k < 3) fillRect(img, cx + Math.round((k * (gw - stroke)) / 2), top, stroke, gh, rgb);
      else fillRect(img, cx, top + Math.round(((k - 3) * (gh - stroke)) / 2), gw, stroke, rgb);
    }
  }
  return chars * adv;
}

/** Area-averaging downscale, as a good canvas resize would do (used to imitate the 768 px encode copy). */
export function downscale(img: RgbaImage, width: number, height: number): RgbaImage {
  const out = blank(width, height, [0, 0, 0]);
  const sum = new Float64Array(width * height * 3);
  const n = new Float64Array(width * height);
  for (let y = 0; y < img.height; y++) {
    const ty = Math.min(height - 1, Math.floor((y * height) / img.height));
    for (let x = 0; x < img.width; x++) {
      const t = ty * width + Math.min(width - 1, Math.floor((x * width) / img.width));
      const i = (y * img.width + x) * 4;
      sum[t * 3]! += img.data[i]!; sum[t * 3 + 1]! += img.data[i + 1]!; sum[t * 3 + 2]! += img.data[i + 2]!;
      n[t]! += 1;
    }
  }
  for (let t = 0; t < n.length; t++) for (let c = 0; c < 3; c++) out.data[t * 4 + c] = sum[t * 3 + c]! / n[t]!;
  return out;
}

// ---- scenes ----

export interface ChatOptions {
  width: number;
  height: number;
  seed: number;
  /** Messages shown (each one line of small text). */
  messages: number;
  /** Vertical scroll of the message list, px. */
  scroll?: number;
  caretOn?: boolean;
  /** Characters in the newest message (the line that appears in the "new chat line" case). */
  lastMessageChars?: number;
  textSize?: number;
}

/** A chat window: sidebar of contacts, header, one line per message, an input box with a caret. */
export function chatPage(o: ChatOptions): RgbaImage {
  const { width: W, height: H } = o;
  const size = o.textSize ?? 12;
  const img = blank(W, H, [255, 255, 255]);
  const r = rng(o.seed);
  const side = Math.round(W * 0.22);
  fillRect(img, 0, 0, side, H, [243, 244, 246]);
  for (let i = 0; i < Math.floor(H / 48); i++) textLine(img, 16, 20 + i * 48, 10 + Math.floor(r() * 8), size, [60, 60, 70], r);
  fillRect(img, side, 0, W - side, 48, [250, 250, 252]);
  textLine(img, side + 20, 18, 18, 14, [20, 20, 30], r);
  const lineH = Math.round(size * 2);
  const listTop = 60, listBottom = H - 70;
  for (let m = 0; m < o.messages; m++) {
    const mr = rng(o.seed * 1000 + m + 1);
    const y = listTop + m * lineH - (o.scroll ?? 0);
    if (y < listTop - lineH || y + size > listBottom) continue;
    const mine = mr() < 0.4;
    const isLast = m === o.messages - 1;
    const chars = isLast && o.lastMessageChars ? o.lastMessageChars : 12 + Math.floor(mr() * 50);
    const x = mine ? W - 40 - chars * Math.round(size * 0.55) : side + 30;
    textLine(img, x, y, chars, size, mine ? [30, 60, 160] : [25, 25, 25], mr);
  }
  fillRect(img, side, listBottom, W - side, 1, [220, 220, 225]);
  fillRect(img, side + 20, H - 52, W - side - 40, 34, [246, 246, 248]);
  if (o.caretOn ?? true) fillRect(img, side + 32, H - 44, 2, 18, [20, 20, 20]);
  return img;
}

/** A presentation slide: coloured band, big title, bullet lines. */
export function slide(width: number, height: number, seed: number): RgbaImage {
  const r = rng(seed);
  const bg: Rgb = [230 + Math.floor(r() * 25), 230 + Math.floor(r() * 25), 230 + Math.floor(r() * 25)];
  const img = blank(width, height, bg);
  const accent: Rgb = [Math.floor(r() * 200), Math.floor(r() * 200), Math.floor(r() * 200)];
  fillRect(img, 0, 0, width, Math.round(height * 0.18), accent);
  const u = height / 720;
  textLine(img, 60 * u, 40 * u, 14 + Math.floor(r() * 14), Math.round(36 * u), [255, 255, 255], r);
  for (let b = 0; b < 3 + Math.floor(r() * 4); b++) {
    const y = (180 + b * 70) * u;
    fillEllipse(img, 80 * u, y + 10 * u, 6 * u, 6 * u, accent);
    textLine(img, 100 * u, y, 20 + Math.floor(r() * 30), Math.round(22 * u), [40, 40, 40], r);
  }
  return img;
}

/** A camera view of a desk: shaded wall, table, a few objects; `extraObject` adds a mug. */
export function deskScene(width: number, height: number, seed: number, extraObject = false): RgbaImage {
  const r = rng(seed);
  const img = blank(width, height, [0, 0, 0]);
  for (let y = 0; y < height; y++) {
    const g = 150 + Math.round((60 * y) / height);
    fillRect(img, 0, y, width, 1, [g, g - 10, g - 25]);
  }
  const tableY = Math.round(height * 0.6);
  for (let y = tableY; y < height; y++) fillRect(img, 0, y, width, 1, [120 - (y - tableY) / 8, 85, 60]);
  const u = width / 1280;
  fillRect(img, 200 * u, tableY - 180 * u, 320 * u, 200 * u, [40, 40, 45]); // laptop
  fillRect(img, 215 * u, tableY - 168 * u, 290 * u, 170 * u, [90, 120, 170]);
  fillRect(img, 640 * u + r() * 40, tableY + 40 * u, 220 * u, 150 * u, [235, 230, 215]); // notebook
  if (extraObject) {
    fillRect(img, 950 * u, tableY - 40 * u, 70 * u, 95 * u, [180, 40, 40]); // a red mug
    fillEllipse(img, 985 * u, tableY - 40 * u, 35 * u, 10 * u, [120, 25, 25]);
  }
  return img;
}

// ---- perturbations ----

/** Sensor noise: independent gaussian noise per pixel and channel, plus a global exposure offset. */
export function sensorNoise(img: RgbaImage, sigma: number, exposure: number, r: () => number): RgbaImage {
  const out = copy(img);
  for (let i = 0; i < out.data.length; i += 4) {
    const common = gauss(r) * sigma * 0.6;
    for (let c = 0; c < 3; c++) out.data[i + c] = img.data[i + c]! + exposure + common + gauss(r) * sigma * 0.8;
  }
  return out;
}

/**
 * Lossy-video shimmer: every 8x8 block's brightness wobbles a little and pixels near edges ring (mosquito
 * noise), differently in every frame, as a streamed video's frames do while the picture stands still.
 */
export function compressionShimmer(img: RgbaImage, r: () => number, dc = 3, ringing = 14): RgbaImage {
  const out = copy(img);
  const { width: W, height: H } = img;
  const lum = (x: number, y: number) => {
    const i = (y * W + x) * 4;
    return img.data[i]! * 0.3 + img.data[i + 1]! * 0.59 + img.data[i + 2]! * 0.11;
  };
  for (let by = 0; by < H; by += 8) {
    for (let bx = 0; bx < W; bx += 8) {
      const off = (r() * 2 - 1) * dc;
      let edgy = false;
      for (let y = by; y < Math.min(H, by + 8) && !edgy; y++) {
        for (let x = bx + 1; x < Math.min(W, bx + 8); x++) if (Math.abs(lum(x, y) - lum(x - 1, y)) > 40) { edgy = true; break; }
      }
      for (let y = by; y < Math.min(H, by + 8); y++) {
        for (let x = bx; x < Math.min(W, bx + 8); x++) {
          const i = (y * W + x) * 4;
          const ring = edgy ? (r() * 2 - 1) * ringing : 0;
          for (let c = 0; c < 3; c++) out.data[i + c] = img.data[i + c]! + off + ring;
        }
      }
    }
  }
  return out;
}

// ---- the classification cases ----

export interface ChangeCase {
  name: string;
  expectChanged: boolean;
  /** frames[0] is the kept reference; every later frame is compared with it. */
  frames: RgbaImage[];
}

export function changeCases(width: number, height: number, seed: number): ChangeCase[] {
  const W = width, H = height;
  const r = rng(seed ^ 0x5eed);
  // Messages that fit the list: the "new chat line" case adds the last one, into empty space, nothing shifts.
  const fit = Math.floor((H - 70 - 60 - 12) / 24) + 1;
  const chat = (extra: Partial<ChatOptions> = {}) => chatPage({ width: W, height: H, seed, messages: fit - 1, ...extra });
  const desk = deskScene(W, H, seed);
  const deskMug = deskScene(W, H, seed, true);
  const aSlide = slide(W, H, seed);
  const noisy = (img: RgbaImage, k: number) => sensorNoise(img, 7, 3 * Math.sin(k), r);
  return [
    { name: 'static page', expectChanged: false, frames: [chat(), chat(), chat()] },
    { name: 'blinking cursor', expectChanged: false, frames: [chat(), chat({ caretOn: false }), chat(), chat({ caretOn: false })] },
    { name: 'camera sensor noise', expectChanged: false, frames: [0, 1, 2, 3, 4].map((k) => noisy(desk, k)) },
    { name: 'video compression shimmer', expectChanged: false, frames: [0, 1, 2, 3].map(() => compressionShimmer(aSlide, r)) },
    { name: 'new slide', expectChanged: true, frames: [aSlide, slide(W, H, seed + 1)] },
    { name: 'scroll', expectChanged: true, frames: [chat({ messages: fit + 10 }), chat({ messages: fit + 10, scroll: 24 })] },
    { name: 'new object', expectChanged: true, frames: [noisy(desk, 0), noisy(deskMug, 1)] },
    {
      name: 'new chat line',
      expectChanged: true,
      frames: [chat({ messages: fit - 1 }), chat({ messages: fit, lastMessageChars: 16 })],
    },
  ];
}

// Scripted clips with a timeline of scenes (the session benchmark's): tests/support/scripted-clips.ts.
