/** Point and ask in Firefox: a region of the tab captured with captureVisibleTab's `rect`, at the screen's own detail. */
import { describe, expect, it } from 'vitest';
import type { Browser } from 'wxt/browser';
import { CaptureBudget } from '../../lib/core/frames/capture-budget.ts';
import { visibleTabSource, type TabsApi } from '../../lib/capture/page/visible-tab-source.ts';
import { pictureSize } from '../../lib/capture/page/frame-source.ts';

function source(devicePixelRatio: number) {
  const calls: unknown[] = [];
  const decoded: Array<[number, number]> = [];
  const tabs: TabsApi = {
    get: async (tabId) => ({ id: tabId, index: 0, highlighted: false, pinned: false, incognito: false, active: true, windowId: 7, width: 1600, height: 900, title: 'Slides' }) as Browser.tabs.Tab,
    captureVisibleTab: async (_windowId, opts) => (calls.push(opts), 'data:image/jpeg;base64,AAAA'),
  };
  const decode = async (_url: string, width: number, height: number) => (decoded.push([width, height]), { width, height, close() {} }) as ImageBitmap;
  return { src: visibleTabSource({ tabId: 3, tabs, budget: new CaptureBudget(6), decode, devicePixelRatio }), calls, decoded };
}

describe('visibleTabSource crop', () => {
  it('captures only the region, in CSS pixels, at device detail on a HiDPI screen', async () => {
    const { src, calls, decoded } = source(2);
    const picture = await src.picture(1536, 'force', { x: 0.5, y: 0.5, w: 0.25, h: 0.25 });
    expect(calls).toEqual([{ format: 'jpeg', quality: 92, scale: 2, rect: { x: 800, y: 450, width: 400, height: 225 } }]);
    expect(decoded).toEqual([[800, 450]]);
    expect(picture).toMatchObject({ sourceWidth: 800, sourceHeight: 450, region: { x: 0.5, y: 0.5, w: 0.25, h: 0.25 } });
  });

  it('a large region is captured at less detail to fit maxSide, and says it was resampled', async () => {
    const { src, calls } = source(2);
    const picture = await src.picture(1536, 'force', { x: 0, y: 0, w: 1, h: 1 });
    expect(calls).toEqual([expect.objectContaining({ scale: 0.96, rect: { x: 0, y: 0, width: 1600, height: 900 } })]);
    expect(pictureSize(picture!).width).toBeLessThan(picture!.sourceWidth);
  });
});
