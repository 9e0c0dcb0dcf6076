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

/** Name of the dominant primary colour, for readable assertions. */
export function colorName({ r, g, b }: Rgb): 'red' | 'green' | 'blue' | 'other' {
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
