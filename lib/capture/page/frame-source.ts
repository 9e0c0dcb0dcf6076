/**
 * Where the sampler's pictures come from. Chrome's offscreen document and Firefox's sidebar draw a playing
 * <video> (tab, camera, screen streams); Firefox's tab comes from tabs.captureVisibleTab instead.
 */
import { fitWithin } from '../../core/frames/size.ts';
import { cropPlan } from '../../core/region/crop.ts';
import type { Region } from '../../core/frames/redaction.ts';

export interface Picture {
  /** Scaled to fit maxSide x maxSide. */
  bitmap: ImageBitmap;
  /** Size of the picture it was scaled from: change detection measures in these pixels. */
  sourceWidth: number;
  sourceHeight: number;
  /** A crop: the part of the frame it shows (fractions), as cut (grown to the minimum, clamped, whole pixels). */
  region?: Region;
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
      const bitmap = await createImageBitmap(video, { resizeWidth: size.width, resizeHeight: size.height, resizeQuality: 'medium' });
      return { bitmap, sourceWidth: videoWidth, sourceHeight: videoHeight };
    },
  };
}
