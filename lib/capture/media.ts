/** Opening the media stream for each source. Browser edge: only getUserMedia / getDisplayMedia here. */
import type { SourceKind } from '../session/types.ts';

export interface OpenOptions {
  source: SourceKind;
  /** tabCapture stream id (Chrome, source 'tab'). */
  streamId?: string;
  /** The tab's size in device pixels: without it tab capture letterboxes to 800x600. */
  width?: number;
  height?: number;
}

export async function openStream(opts: OpenOptions): Promise<MediaStream> {
  switch (opts.source) {
    case 'tab': {
      if (!opts.streamId) throw new Error('No tab stream id');
      const size = opts.width && opts.height
        ? { minWidth: opts.width, maxWidth: opts.width, minHeight: opts.height, maxHeight: opts.height }
        : {};
      // Chrome's legacy constraint form is the only one tabCapture stream ids accept.
      const video = { mandatory: { chromeMediaSource: 'tab', chromeMediaSourceId: opts.streamId, ...size } };
      return navigator.mediaDevices.getUserMedia({ video } as unknown as MediaStreamConstraints);
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
