/** Mean luminance (0..255, Rec. 601) of RGBA pixels, sampling every `step`-th pixel. Pure. */
export function meanLuma(rgba: ArrayLike<number>, step = 7): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i + 2 < rgba.length; i += 4 * step) {
    sum += 0.299 * rgba[i]! + 0.587 * rgba[i + 1]! + 0.114 * rgba[i + 2]!;
    n++;
  }
  return n ? sum / n : 0;
}
