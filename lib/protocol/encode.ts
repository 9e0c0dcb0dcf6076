/**
 * The protocol between a capturing page (offscreen document, Firefox sidebar or background page) and its JPEG
 * encode Worker, carried by lib/messaging/rpc.ts: one command, `encode`. A frame the Worker cannot encode
 * rejects that call with the Worker's message.
 */
import type { Region } from '../core/frames/redaction.ts';

export interface EncodeRequest {
  /** The picture, already scaled to fit maxSide; moved (transferred) to the Worker, which closes it. */
  bitmap: ImageBitmap;
  /** JPEG quality, 0..1. */
  quality: number;
  /** Size of the original picture the bitmap was scaled from (px): change is measured in its pixels. */
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
  | { kind: 'unchanged'; score: number };

/** Page → encode Worker. */
export interface EncodeProtocol {
  encode(request: EncodeRequest): EncodeResult;
}
