/**
 * Where the sampler's pictures come from. Chrome's offscreen document and Firefox's sidebar draw a playing
 * <video> (tab, camera, screen streams); Firefox's tab comes from tabs.captureVisibleTab instead.
 */
import { fitWithin } from '../../core/frames/size.ts';

export interface Picture {
  /**
   * The picture: an ImageBitmap already scaled to fit maxSide x maxSide, or a VideoFrame at the source's size that
   * the encode Worker scales to `width` x `height` as it draws it (the one resize).
   */
  bitmap: ImageBitmap | VideoFrame;
  /** Size to draw it at (px), fitting maxSide x maxSide; absent: the bitmap's own size. */
  width?: number;
  height?: number;
  /** Size of the picture it was scaled from: change detection measures in these pixels. */
  sourceWidth: number;
  sourceHeight: number;
}

export interface FrameSource {
  /**
   * A picture of what is shown now. 'sample' may resolve undefined when nothing can be sampled at the
   * moment (no video frame yet, shared tab not in front); 'force' (a question's frame) rejects with why.
   */
  picture(maxSide: number, purpose: 'sample' | 'force'): Promise<Picture | undefined>;
}

export class NoFrameError extends Error {
  constructor(message = 'No frame yet: the shared source has not shown anything.') {
    super(message);
  }
}

/**
 * The <video>'s current frame as a VideoFrame, without copying or converting its pixels (0.05 ms); undefined where
 * WebCodecs cannot wrap a video element. For a picture that must be scaled: createImageBitmap(video) resized to
 * 768 px took 12 to 17 ms of this page's main thread for a 1280x720 camera, the Worker draws the VideoFrame
 * scaled in 5 to 8 ms. A picture at its own size is cheaper as an ImageBitmap (0.1 to 1.5 ms, against about 7 ms
 * to draw a VideoFrame of any size). Chromium 156, offscreen document, 2-core machine under load (issue 13).
 */
function wrapVideo(video: HTMLVideoElement): VideoFrame | undefined {
  if (typeof VideoFrame !== 'function') return undefined;
  try {
    return new VideoFrame(video);
  } catch {
    return undefined; // no frame decoded yet, or a browser that refuses: the ImageBitmap path decides
  }
}

/** Frames of a playing <video> (a MediaStream's last frame stays on it even when the source is static). */
export function videoFrameSource(video: HTMLVideoElement): FrameSource {
  return {
    async picture(maxSide, purpose) {
      const { videoWidth, videoHeight } = video;
      if (!videoWidth || !videoHeight) {
        if (purpose === 'sample') return undefined;
        throw new NoFrameError();
      }
      const size = fitWithin(videoWidth, videoHeight, maxSide);
      const source = { sourceWidth: videoWidth, sourceHeight: videoHeight };
      if (size.width === videoWidth && size.height === videoHeight) return { bitmap: await createImageBitmap(video), ...source };
      const frame = wrapVideo(video);
      if (frame) return { bitmap: frame, ...size, ...source };
      const bitmap = await createImageBitmap(video, { resizeWidth: size.width, resizeHeight: size.height, resizeQuality: 'medium' });
      return { bitmap, ...source };
    },
  };
}
