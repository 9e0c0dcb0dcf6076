/** Reading what a JPEG that reached the stand-in upstream shows. */
import jpeg from 'jpeg-js';
import type { RecordedRequest } from './fake-gemini.ts';

export interface Rgb { r: number; g: number; b: number }

export function averageColor(base64Jpeg: string): Rgb & { width: number; height: number } {
  const img = jpeg.decode(Buffer.from(base64Jpeg, 'base64'), { useTArray: true });
  let r = 0, g = 0, b = 0;
  const n = img.width * img.height;
  for (let i = 0; i < img.data.length; i += 4) {
    r += img.data[i]!;
    g += img.data[i + 1]!;
    b += img.data[i + 2]!;
  }
  return { r: r / n, g: g / n, b: b / n, width: img.width, height: img.height };
}

/**
 * Average colour of a part of a JPEG, the part given in fractions of its size (as hidden regions are):
 * `{ x: 0, y: 0, w: 0.5, h: 1 }` is the left half.
 */
export function averageColorIn(base64Jpeg: string, crop: { x: number; y: number; w: number; h: number }): Rgb & { pixels: number } {
  const img = jpeg.decode(Buffer.from(base64Jpeg, 'base64'), { useTArray: true });
  const x0 = Math.floor(crop.x * img.width);
  const y0 = Math.floor(crop.y * img.height);
  const x1 = Math.min(img.width, Math.ceil((crop.x + crop.w) * img.width));
  const y1 = Math.min(img.height, Math.ceil((crop.y + crop.h) * img.height));
  let r = 0, g = 0, b = 0, n = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = (y * img.width + x) * 4;
      r += img.data[i]!;
      g += img.data[i + 1]!;
      b += img.data[i + 2]!;
      n++;
    }
  }
  if (n === 0) throw new Error(`empty crop ${JSON.stringify(crop)} of ${img.width}x${img.height}`);
  return { r: r / n, g: g / n, b: b / n, pixels: n };
}

/** A solid-colour JPEG of width x height px, base64: a frame whose colour a stand-in can name. */
export function solidJpegBase64(width: number, height: number, [r, g, b]: [number, number, number]): string {
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0; i < data.length; i += 4) data.set([r, g, b, 255], i);
  return Buffer.from(jpeg.encode({ data, width, height }, 90).data).toString('base64');
}

/** Name of the dominant primary colour, for readable assertions. */
export function colorName({ r, g, b }: Rgb): 'red' | 'green' | 'blue' | 'black' | 'other' {
  if (r < 24 && g < 24 && b < 24) return 'black';
  if (r > 150 && g < 90 && b < 90) return 'red';
  if (g > 130 && r < 90 && b < 90) return 'green';
  if (b > 150 && r < 90 && g < 90) return 'blue';
  return 'other';
}

interface Part { text?: string; inlineData?: { mimeType?: string; data?: string } }

/** Every inline image of a generateContent request, in order. */
export function imagesOf(req: RecordedRequest): string[] {
  const body = req.body as { contents?: Array<{ parts?: Part[] }> };
  return (body.contents ?? []).flatMap((c) => c.parts ?? []).flatMap((p) => (p.inlineData?.data ? [p.inlineData.data] : []));
}

export function textsOf(req: RecordedRequest): string[] {
  const body = req.body as { contents?: Array<{ parts?: Part[] }> };
  return (body.contents ?? []).flatMap((c) => c.parts ?? []).flatMap((p) => (p.text ? [p.text] : []));
}

/**
 * Black bars at the edges of a JPEG: how many whole rows (top, bottom) and columns (left, right) from each edge are
 * near black (mean of every channel under 24), as tab capture's letterboxing leaves them. A page with coloured
 * edges shows 0 everywhere.
 */
export function blackBars(base64Jpeg: string): { top: number; bottom: number; left: number; right: number; width: number; height: number } {
  const img = jpeg.decode(Buffer.from(base64Jpeg, 'base64'), { useTArray: true });
  const { width, height, data } = img;
  const dark = (x0: number, y0: number, dx: number, dy: number, n: number) => {
    let sum = 0;
    for (let k = 0; k < n; k++) {
      const i = ((y0 + k * dy) * width + (x0 + k * dx)) * 4;
      sum += data[i]! + data[i + 1]! + data[i + 2]!;
    }
    return sum / n / 3 < 24;
  };
  const count = (isDark: (k: number) => boolean, max: number) => {
    let k = 0;
    while (k < max && isDark(k)) k++;
    return k;
  };
  return {
    top: count((y) => dark(0, y, 1, 0, width), height),
    bottom: count((k) => dark(0, height - 1 - k, 1, 0, width), height),
    left: count((x) => dark(x, 0, 0, 1, height), width),
    right: count((k) => dark(width - 1 - k, 0, 0, 1, height), width),
    width,
    height,
  };
}
