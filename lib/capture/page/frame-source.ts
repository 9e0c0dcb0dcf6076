/**
 * Where the sampler's pictures come from. Chrome's offscreen document and Firefox's sidebar draw a playing
 * <video> (tab, camera, screen streams); Firefox's tab comes from tabs.captureVisibleTab instead.
 */
import { fitWithin } from '../../core/frames/size.ts';
import { cropPlan } from '../../core/region/crop.ts';
import type { Region } from '../../core/frames/redaction.ts';

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
  /** A crop: the part of the frame it shows (fractions), as cut (grown to the minimum, clamped, whole pixels). */
  region?: Region;
}

/** The size a picture is encoded at (px): its `width` x `height`, or its bitmap's own size. */
export function pictureSize(p: Pick<Picture, 'bitmap' | 'width' | 'height'>): { width: number; height: number } {
  const b = p.bitmap;
  const own = 'displayWidth' in b ? { width: b.displayWidth, height: b.displayHeight } : { width: b.width, height: b.height };
  return { width: p.width ?? own.width, height: p.height ?? own.height };
}

export interface FrameSource {
  /**
   * A picture of what is shown now. 'sample' may resolve undefined when nothing can be sampled at the
   * moment (no video frame yet, shared tab not in front); 'force' (a question's frame) rejects with why.
   */
  picture(maxSide: number, purpose: 'sample' | 'force', crop?: Region): Promise<Picture | undefined>;
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
    async picture(maxSide, purpose, crop) {
      const { videoWidth, videoHeight } = video;
      if (!videoWidth || !videoHeight) {
        if (purpose === 'sample') return undefined;
        throw new NoFrameError();
      }
      if (crop) {
        // Point and ask: the region's own source pixels, at full resolution up to maxSide (lib/core/region/crop.ts).
        const plan = cropPlan(crop, { width: videoWidth, height: videoHeight }, { maxSide });
        if (!plan) throw new NoFrameError('The region pointed at is outside the picture.');
        const { x, y, w, h } = plan.rect;
        const bitmap = await createImageBitmap(video, x, y, w, h, { resizeWidth: plan.width, resizeHeight: plan.height, resizeQuality: 'high' });
        return { bitmap, sourceWidth: w, sourceHeight: h, region: plan.region };
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
