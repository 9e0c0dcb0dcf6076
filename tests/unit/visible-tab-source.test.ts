/**
 * Firefox's tab frames (tabs.captureVisibleTab): never a picture of another tab, tile-sized at capture,
 * and within a per-second budget that always leaves room for a question's frame.
 */
import { describe, expect, it } from 'vitest';
import type { Browser } from 'wxt/browser';
import { CaptureBudget, CHROME_CAPTURES_PER_SECOND } from '../../lib/core/frames/capture-budget.ts';
import { captureScale, visibleTabSource, type TabsApi } from '../../lib/capture/page/visible-tab-source.ts';

describe('CaptureBudget', () => {
  it("keeps Chrome's 2 calls a second and one of them for a question", () => {
    const budget = new CaptureBudget(CHROME_CAPTURES_PER_SECOND);
    expect(budget.waitMs(0, 1)).toBe(0);
    budget.record(0);
    // Sampling may not take the second call of this second...
    expect(budget.waitMs(100, 1)).toBe(900);
    // ...a question may, at once.
    expect(budget.waitMs(100, 0)).toBe(0);
    budget.record(100);
    // A second question in the same second waits for the first call to leave the window.
    expect(budget.waitMs(200, 0)).toBe(800);
    expect(budget.waitMs(1000, 0)).toBe(0);
    expect(budget.waitMs(1000, 1)).toBe(100);
    expect(budget.waitMs(1100, 1)).toBe(0);
  });

  it('never lets more calls than allowed into any one-second window', () => {
    const budget = new CaptureBudget(6);
    const calls: number[] = [];
    for (let t = 0; t < 5000; t += 7) {
      const reserve = t % 3 === 0 ? 0 : 1;
      if (budget.waitMs(t, reserve) === 0) {
        budget.record(t);
        calls.push(t);
      }
    }
    for (const t of calls) expect(calls.filter((c) => c >= t && c < t + 1000).length).toBeLessThanOrEqual(6);
    expect(calls.length).toBeGreaterThan(25);
  });
});

describe('captureScale', () => {
  it('fits the longest side within the tile and never scales up', () => {
    expect(captureScale(1600, 900, 768)).toBeCloseTo(0.48);
    expect(captureScale(600, 1536, 768)).toBeCloseTo(0.5);
    expect(captureScale(640, 480, 768)).toBe(1);
    expect(captureScale(0, 0, 768)).toBe(1);
  });
});

type Tab = Browser.tabs.Tab;

function fakeTabs(states: Array<Partial<Tab>>, capture: (windowId: number, opts: { scale?: number }) => Promise<string> = async () => 'data:image/jpeg;base64,AAAA') {
  const calls: Array<{ windowId: number; scale?: number; format: string }> = [];
  let i = 0;
  const tabs: TabsApi = {
    async get(tabId) {
      const s = states[Math.min(i++, states.length - 1)]!;
      return { id: tabId, index: 0, highlighted: false, pinned: false, incognito: false, active: true, windowId: 7, width: 1600, height: 900, title: 'Slides', ...s } as Tab;
    },
    async captureVisibleTab(windowId, opts) {
      calls.push({ windowId, scale: opts.scale, format: opts.format });
      return capture(windowId, opts);
    },
  };
  return { tabs, calls };
}

const decoded: Array<{ width: number; height: number }> = [];
const decode = async (_url: string, width: number, height: number) => {
  decoded.push({ width, height });
  return { width, height, close() {} } as ImageBitmap;
};

describe('visibleTabSource', () => {
  it('captures the front tab of its window, scaled to the tile by Firefox, in CSS pixels for change detection', async () => {
    const { tabs, calls } = fakeTabs([{}]);
    const source = visibleTabSource({ tabId: 3, tabs, budget: new CaptureBudget(6), decode });
    const picture = await source.picture(768, 'sample');
    expect(calls).toEqual([{ windowId: 7, scale: 0.48, format: 'jpeg' }]);
    expect(picture).toMatchObject({ sourceWidth: 1600, sourceHeight: 900, bitmap: { width: 768, height: 432 } });
  });

  it('does not sample, and says why for a question, when the shared tab is not in front', async () => {
    const { tabs, calls } = fakeTabs([{ active: false }]);
    const source = visibleTabSource({ tabId: 3, tabs, budget: new CaptureBudget(6), decode });
    expect(await source.picture(768, 'sample')).toBeUndefined();
    await expect(source.picture(768, 'force')).rejects.toThrow(/in front of its window: bring “Slides” to the front/);
    expect(calls).toEqual([]);
  });

  it('throws away a picture taken while the person switched to another tab', async () => {
    const { tabs, calls } = fakeTabs([{ active: true }, { active: false }]);
    const source = visibleTabSource({ tabId: 3, tabs, budget: new CaptureBudget(6), decode });
    expect(await source.picture(768, 'sample')).toBeUndefined();
    expect(calls).toHaveLength(1);
    const again = fakeTabs([{ active: true }, { active: false }]);
    const forced = visibleTabSource({ tabId: 3, tabs: again.tabs, budget: new CaptureBudget(6), decode });
    await expect(forced.picture(768, 'force')).rejects.toThrow(/to the front/);
  });

  it('leaves the last call of the budget to questions, which wait for it rather than fail', async () => {
    let clock = 0;
    const slept: number[] = [];
    const { tabs, calls } = fakeTabs([{}]);
    const source = visibleTabSource({
      tabId: 3,
      tabs,
      budget: new CaptureBudget(CHROME_CAPTURES_PER_SECOND),
      decode,
      now: () => clock,
      sleep: async (ms) => {
        slept.push(ms);
        clock += ms;
      },
    });
    expect(await source.picture(768, 'sample')).toBeDefined();
    clock = 300;
    expect(await source.picture(768, 'sample')).toBeUndefined(); // would leave no room for a question
    expect(await source.picture(768, 'force')).toBeDefined(); // the reserved call, at once
    expect(slept).toEqual([]);
    clock = 400;
    expect(await source.picture(768, 'force')).toBeDefined(); // waits until the first call is a second old
    expect(slept).toEqual([600]);
    expect(calls).toHaveLength(3);
  });

  it('says how to allow it when Firefox refuses the capture', async () => {
    const { tabs } = fakeTabs([{}], async () => {
      throw new Error('Missing host permission for the tab');
    });
    const source = visibleTabSource({ tabId: 3, tabs, budget: new CaptureBudget(6), decode });
    expect(await source.picture(768, 'sample')).toBeUndefined();
    await expect(source.picture(768, 'force')).rejects.toThrow(/Missing host permission.*about:addons/);
  });
});
