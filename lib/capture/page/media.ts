/** Opening the media stream for each source. Browser edge: only getUserMedia / getDisplayMedia here. */
import type { SourceKind } from '../../core/types.ts';

export interface OpenOptions {
  source: SourceKind;
  /** tabCapture stream id (Chrome, source 'tab'). */
  streamId?: string;
  /** The tab's size in CSS pixels: without size limits tab capture letterboxes to 800x600. */
  width?: number;
  height?: number;
}

/**
 * The largest width and height (device px) a tab's frames may have. Chrome fixes them when the stream starts
 * (applyConstraints on a running tab track changes its constraints but not the frames: Chromium 156, measured),
 * and a tab that grows past them later is scaled into them with black bars where the rounding leaves a gap (a
 * 134x1305 CSS px tab at devicePixelRatio 2 against 1920x1200: 122x1200 frames with 6 black rows at top and
 * bottom). So the box is square, and large enough for the tab to grow into the whole of a 4K screen or, on a
 * HiDPI screen, twice its size at the start in either direction. A tab larger still gets its bars cropped
 * (letterbox.ts).
 */
export function tabCaptureLimit(cssWidth = 0, cssHeight = 0): number {
  return Math.max(4096, 2 * Math.max(cssWidth, cssHeight));
}

export async function openStream(opts: OpenOptions): Promise<MediaStream> {
  switch (opts.source) {
    case 'tab': {
      if (!opts.streamId) throw new Error('No tab stream id');
      // min and max of different aspect ratios select Chrome's "any size within limits" policy: frames follow the
      // tab's own size and shape, also as it changes. Equal min and max sizes would give one fixed size, and min and
      // max of one aspect ratio (16x16 and a square box) letterbox every frame into that shape (measured).
      const limit = tabCaptureLimit(opts.width, opts.height);
      const size = { minWidth: 16, minHeight: 8, maxWidth: limit, maxHeight: limit };
      // Chrome's legacy constraint form is the only one tabCapture stream ids accept.
      const video = { mandatory: { chromeMediaSource: 'tab', chromeMediaSourceId: opts.streamId, ...size } };
      // The tab's sound too (issue 14): capturing it mutes the tab until it is played back (tab-audio.ts does).
      const audio = { mandatory: { chromeMediaSource: 'tab', chromeMediaSourceId: opts.streamId } };
      return navigator.mediaDevices.getUserMedia({ video, audio } as unknown as MediaStreamConstraints);
    }
    case 'camera':
      return navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 1280 }, height: { ideal: 720 } }, audio: false });
    case 'screen':
      return navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
  }
}

export function stopStream(stream: MediaStream | undefined): void {
  stream?.getTracks().forEach((t) => t.stop());
}

/** Why a track ended, in words for the panel. */
export function endedReason(source: SourceKind): string {
  switch (source) {
    case 'tab':
      return 'The shared tab was closed or stopped sharing.';
    case 'camera':
      return 'The camera went away (unplugged, or used by another app).';
    case 'screen':
      return 'Screen sharing was stopped.';
  }
}
