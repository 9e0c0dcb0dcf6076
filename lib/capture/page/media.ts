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

export async function openStream(opts: OpenOptions): Promise<MediaStream> {
  switch (opts.source) {
    case 'tab': {
      if (!opts.streamId) throw new Error('No tab stream id');
      // min and max of different aspect ratios select Chrome's "any size within limits" policy: frames
      // follow the tab's own size and shape. Equal min and max would letterbox into a fixed size.
      const maxWidth = Math.max(1920, (opts.width ?? 0) * 2);
      const maxHeight = Math.max(1200, (opts.height ?? 0) * 2);
      const size = { minWidth: 16, minHeight: 16, maxWidth, maxHeight };
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
