/** Messages between the capturing page (offscreen document, sidebar) and its JPEG-encoding Worker. */
import type { Region } from '../core/frames/redaction.ts';

export interface EncodeRequest {
  id: number;
  bitmap: ImageBitmap;
  quality: number;
  /** Size of the original picture the bitmap was scaled from: change is measured in its pixels. */
  sourceWidth: number;
  sourceHeight: number;
  /**
   * 'sample': change detection decides; an unchanged frame is answered with `unchanged`, not encoded.
   * 'force': always encoded (a question's frame) and made the new reference.
   * 'crop': a region's crop (point and ask, look_closer): always encoded, never compared nor made the reference.
   */
  mode: 'sample' | 'force' | 'crop';
  /** Regions blacked out before change detection and encoding: their pixels never leave the Worker. */
  redactions?: Region[];
}

export type EncodeResponse =
  | {
      id: number;
      kind: 'encoded';
      data: string;
      width: number;
      height: number;
      meanLuma: number;
      encodeMs: number;
      /** Whether the frame differs from the last one kept (always true for the first). */
      changed: boolean;
    }
  | { id: number; kind: 'unchanged'; score: number }
  | { id: number; kind: 'error'; message: string };
