/** Writes YUV4MPEG2 clips for Chromium's fake camera (--use-file-for-fake-video-capture). */
import { writeFileSync } from 'node:fs';

export type Rgb = [number, number, number];

function toYuv([r, g, b]: Rgb): [number, number, number] {
  const y = 0.257 * r + 0.504 * g + 0.098 * b + 16;
  const u = -0.148 * r - 0.291 * g + 0.439 * b + 128;
  const v = 0.439 * r - 0.368 * g - 0.071 * b + 128;
  return [y, u, v].map((c) => Math.max(0, Math.min(255, Math.round(c)))) as [number, number, number];
}

/**
 * A clip of solid-colour segments, `framesPer` frames each, with an optional pattern painter per frame
 * (for busy clips). 4:2:0, so width and height must be even.
 */
export function writeY4m(
  file: string,
  opts: { width: number; height: number; fps: number; colors: Rgb[]; framesPer: number; paint?: (frame: number, x: number, y: number) => Rgb | undefined },
): void {
  const { width: w, height: h, fps } = opts;
  const header = Buffer.from(`YUV4MPEG2 W${w} H${h} F${fps}:1 Ip A1:1 C420jpeg\n`);
  const chunks: Buffer[] = [header];
  const frameTag = Buffer.from('FRAME\n');
  let n = 0;
  for (const color of opts.colors) {
    const base = toYuv(color);
    for (let f = 0; f < opts.framesPer; f++, n++) {
      const Y = Buffer.alloc(w * h, base[0]);
      const U = Buffer.alloc((w / 2) * (h / 2), base[1]);
      const V = Buffer.alloc((w / 2) * (h / 2), base[2]);
      if (opts.paint) {
        for (let y = 0; y < h; y++) {
          for (let x = 0; x < w; x++) {
            const c = opts.paint(n, x, y);
            if (!c) continue;
            const [cy, cu, cv] = toYuv(c);
            Y[y * w + x] = cy;
            if (x % 2 === 0 && y % 2 === 0) {
              U[(y / 2) * (w / 2) + x / 2] = cu;
              V[(y / 2) * (w / 2) + x / 2] = cv;
            }
          }
        }
      }
      chunks.push(frameTag, Y, U, V);
    }
  }
  writeFileSync(file, Buffer.concat(chunks));
}
