/** Frame geometry. Pure. */

/** Scale (w, h) down to fit within maxSide x maxSide, keeping the aspect ratio; never scales up. */
export function fitWithin(width: number, height: number, maxSide: number): { width: number; height: number } {
  if (width <= 0 || height <= 0) return { width: 0, height: 0 };
  const scale = Math.min(1, maxSide / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/** A frame this dark on average is almost certainly a protected (DRM) video captured as black. */
export const BLACK_FRAME_LUMA = 4;
