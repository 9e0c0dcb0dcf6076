/** Messages between the offscreen document and its JPEG-encoding Worker. */

export interface EncodeRequest {
  id: number;
  bitmap: ImageBitmap;
  quality: number;
  /** Apply change detection: an unchanged frame is answered with `unchanged` and not encoded. */
  detectChange: boolean;
}

export type EncodeResponse =
  | { id: number; kind: 'encoded'; data: string; width: number; height: number; meanLuma: number; encodeMs: number }
  | { id: number; kind: 'unchanged'; score: number }
  | { id: number; kind: 'error'; message: string };
