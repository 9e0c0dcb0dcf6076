/**
 * Frames of a tab via tabs.captureVisibleTab (Firefox has no tabCapture). The call shows whatever tab is in
 * front of the window, so the shared tab is checked before and after every capture: a picture of another
 * tab is never handed on. Firefox scales while capturing (`scale`), so the picture is already tile-sized.
 */
import type { Browser } from 'wxt/browser';
import { fitWithin } from '../../core/frames/size.ts';
import type { CaptureBudget } from '../../core/frames/capture-budget.ts';
import { NoFrameError, type FrameSource, type Picture } from './frame-source.ts';
import { cropCaptureScale, cropPlan } from '../../core/region/crop.ts';

/** The part of browser.tabs this source uses. */
export interface TabsApi {
  get(tabId: number): Promise<Browser.tabs.Tab>;
  /** `rect` (CSS px of the visible area) crops while capturing: Firefox 82+ (MDN, extensionTypes.ImageDetails). */
  captureVisibleTab(
    windowId: number,
    options: { format: 'jpeg' | 'png'; quality?: number; scale?: number; rect?: { x: number; y: number; width: number; height: number } },
  ): Promise<string>;
}

export interface VisibleTabOptions {
  tabId: number;
  tabs: TabsApi;
  budget: CaptureBudget;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Decodes the captured data URL (createImageBitmap in the browser; replaceable in tests). */
  decode?: (dataUrl: string, width: number, height: number) => Promise<ImageBitmap>;
  /** Device pixels per CSS pixel of the screen (a crop is captured at up to this detail). Default the page's devicePixelRatio. */
  devicePixelRatio?: number;
}

/** Quality of the intermediate JPEG: the encoder Worker re-encodes at the user's quality. */
const CAPTURE_QUALITY = 92;

/**
 * Firefox's `scale` multiplies CSS pixels (its default is devicePixelRatio): this picks the scale that fits
 * the visible area within maxSide, never above 1 CSS pixel per pixel.
 */
export function captureScale(cssWidth: number, cssHeight: number, maxSide: number): number {
  const longest = Math.max(cssWidth, cssHeight);
  if (!(longest > 0)) return 1;
  return Math.min(1, maxSide / longest);
}

export function notInFrontMessage(title: string | undefined): string {
  const name = title ? `“${title}”` : 'the shared tab';
  return `Firefox can only see the tab in front of its window: bring ${name} to the front, then ask again.`;
}

async function decodeDataUrl(dataUrl: string, width: number, height: number): Promise<ImageBitmap> {
  const blob = await (await fetch(dataUrl)).blob();
  const full = await createImageBitmap(blob);
  if (full.width <= width && full.height <= height) return full;
  // A browser that ignored `scale` (or a HiDPI rounding): scale here.
  const scaled = await createImageBitmap(full, { resizeWidth: width, resizeHeight: height, resizeQuality: 'medium' });
  full.close();
  return scaled;
}

export function visibleTabSource(opts: VisibleTabOptions): FrameSource {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const decode = opts.decode ?? decodeDataUrl;

  const inFront = async () => {
    const tab = await opts.tabs.get(opts.tabId).catch(() => undefined);
    if (!tab) throw new NoFrameError('The shared tab is gone.');
    return tab;
  };

  return {
    async picture(maxSide, purpose, crop): Promise<Picture | undefined> {
      const refuse = (message: string) => {
        if (purpose === 'sample') return undefined;
        throw new NoFrameError(message);
      };
      const tab = await inFront();
      if (!tab.active || tab.windowId === undefined) return refuse(notInFrontMessage(tab.title));
      const wait = opts.budget.waitMs(now(), purpose === 'sample' ? 1 : 0);
      if (wait > 0) {
        if (purpose === 'sample') return undefined;
        await sleep(wait);
      }
      opts.budget.record(now());
      const cssWidth = tab.width ?? 0;
      const cssHeight = tab.height ?? 0;
      // Point and ask: the region in CSS px, captured at the screen's own detail up to maxSide.
      const plan = crop ? cropPlan(crop, { width: cssWidth, height: cssHeight }, { maxSide: Number.MAX_SAFE_INTEGER }) : undefined;
      if (crop && !plan) return refuse('The region pointed at is outside the tab.');
      const dpr = opts.devicePixelRatio ?? (globalThis as { devicePixelRatio?: number }).devicePixelRatio ?? 1;
      const scale = plan ? cropCaptureScale(plan.rect.w, plan.rect.h, maxSide, dpr) : captureScale(cssWidth, cssHeight, maxSide);
      const rect = plan ? { rect: { x: plan.rect.x, y: plan.rect.y, width: plan.rect.w, height: plan.rect.h } } : {};
      let dataUrl: string;
      try {
        dataUrl = await opts.tabs.captureVisibleTab(tab.windowId, { format: 'jpeg', quality: CAPTURE_QUALITY, scale, ...rect });
      } catch (err) {
        return refuse(`Firefox did not let Sightline see the tab (${(err as Error).message}). Click the Sightline toolbar button on it, or allow “Access your data for all websites” for Sightline in about:addons.`);
      }
      // The user may have switched tabs while the picture was taken: then it shows another tab.
      const after = await inFront();
      if (!after.active || after.windowId !== tab.windowId) return refuse(notInFrontMessage(after.title));
      if (plan) {
        const bitmap = await decode(dataUrl, Math.round(plan.rect.w * scale), Math.round(plan.rect.h * scale));
        // The crop's own device pixels: a capture at less than full detail was resampled (hidden regions get a margin).
        return { bitmap, sourceWidth: Math.round(plan.rect.w * dpr), sourceHeight: Math.round(plan.rect.h * dpr), region: plan.region };
      }
      const size = fitWithin(cssWidth || maxSide, cssHeight || maxSide, maxSide);
      const bitmap = await decode(dataUrl, size.width, size.height);
      return { bitmap, sourceWidth: cssWidth || bitmap.width, sourceHeight: cssHeight || bitmap.height };
    },
  };
}
