/**
 * The protocol between a capturing page (offscreen document, Firefox sidebar or background page) and its JPEG
 * encode Worker, carried by lib/messaging/rpc.ts: one command, `encode`. A frame the Worker cannot encode
 * rejects that call with the Worker's message.
 */
import type { Region } from '../core/frames/redaction.ts';

export interface EncodeRequest {
  /**
   * The picture, moved (transferred) to the Worker, which closes it: an ImageBitmap already scaled to fit maxSide,
   * or a VideoFrame at the source's size that the Worker scales to `width` x `height` as it draws it.
   */
  bitmap: ImageBitmap | VideoFrame;
  /** Size of the JPEG (px); absent: the bitmap's own size. */
  width?: number;
  height?: number;
  /** JPEG quality, 0..1. */
  quality: number;
  /** Size of the original picture the bitmap was scaled from (px): change is measured in its pixels. */
  sourceWidth: number;
  sourceHeight: number;
  /**
   * 'sample': change detection decides; an unchanged frame is answered with `unchanged`, not encoded.
   * 'force': always encoded (a question's frame) and made the new reference.
   * 'crop': a region's crop (point and ask, look_closer): always encoded, never compared nor made the reference.
   * 'prepare': a question is likely soon (the person is typing): encoded and kept in the Worker only, answered
   * with `prepared`; a 'force' of the same picture then reuses it instead of encoding (lib/core/frames/reuse.ts).
   * Change detection never sees it.
   */
  mode: 'sample' | 'force' | 'crop' | 'prepare';
  /** Regions blacked out before change detection and encoding: their pixels never leave the Worker. */
  redactions?: Region[];
}

export type EncodeResult =
  | {
      kind: 'encoded';
      /** Base64 JPEG. */
      data: string;
      /** Size of the JPEG (px). */
      width: number;
      height: number;
      /** Mean luminance 0..255 (black frames from protected video are told apart by it). */
      meanLuma: number;
      /** Time spent in the Worker (ms). */
      encodeMs: number;
      /** Whether the frame differs from the last one kept (always true for the first). */
      changed: boolean;
    }
  /** A sampled frame that shows nothing new; `score` is how much it differs (0..1). */
  | { kind: 'unchanged'; score: number }
  /** The answer to 'prepare': the frame is encoded (or was already) and kept in the Worker. */
  | { kind: 'prepared' };

/** Page → encode Worker. */
export interface EncodeProtocol {
  encode(request: EncodeRequest): EncodeResult;
}
