import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { NO_HOST_MESSAGE, PageHostLink } from '../../lib/capture/background/page-host-link.ts';
import { serveCapturePort } from '../../lib/messaging/capture-port.ts';
import type { CaptureEvent, StartCapture } from '../../lib/protocol/capture.ts';
import { captureHandlers, fakeRuntime, frame, type End } from './fake-runtime-ports.ts';

const START: StartCapture = { source: 'camera', fps: 1, minFps: 0.2, quality: 0.7, maxSide: 768 };

/** Firefox pages that can capture: each says when it was last used, and records the commands it got. */
function openPage(name: string, engagedAt: number, log: string[], active = false) {
  return serveCapturePort(
    captureHandlers({
      start: () => (log.push(`${name} start`), { ok: true }),
      grab: () => (log.push(`${name} grab`), { ok: true, frame: frame(engagedAt) }),
      status: () => ({ active }),
    }),
    { reconnectMs: 200, onConnect: (events) => engagedAt && events.notify('engaged', { at: engagedAt }) },
  );
}

const pageEnd = (i: number) => vi.mocked(fakeBrowser.runtime.connect).mock.results[i]!.value as End;

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('PageHostLink (Firefox)', () => {
  it('starts on the page the person used last; later commands go to it, with typed replies', async () => {
    fakeRuntime();
    const events: CaptureEvent[] = [];
    const link = new PageHostLink((e) => events.push(e), () => {});
    const log: string[] = [];
    openPage('sidebar', 200, log);
    openPage('panel tab', 100, log);
    await vi.advanceTimersByTimeAsync(0);
    expect(await link.startOnEngagedHost(START, 1000)).toEqual({ ok: true });
    const grabbed = await link.toCapturing('grab', {}, 1000);
    expect(grabbed).toEqual({ ok: true, frame: frame(200) });
    expect(log).toEqual(['sidebar start', 'sidebar grab']);
  });

  it('says to open the sidebar when no page can capture', async () => {
    fakeRuntime();
    const link = new PageHostLink(() => {}, () => {});
    await expect(link.startOnEngagedHost(START, 1000)).rejects.toThrow(NO_HOST_MESSAGE);
    expect(link.toCapturing('grab', {}, 1000)).toBeUndefined();
  });

  it('when the capturing page closes: its waiting grab rejects at once and the capture is reported lost', async () => {
    fakeRuntime();
    const lost = vi.fn();
    const link = new PageHostLink(() => {}, lost);
    serveCapturePort(captureHandlers({ grab: () => new Promise(() => {}) }), { reconnectMs: 200 });
    await vi.advanceTimersByTimeAsync(0);
    await link.startOnEngagedHost(START, 1000);
    const grab = link.toCapturing('grab', {}, 4000)!;
    const rejected = expect(grab).rejects.toThrow('The Sightline page that was capturing closed.');
    await vi.advanceTimersByTimeAsync(0);
    pageEnd(0).disconnect(); // the sidebar is closed
    await rejected;
    expect(lost).toHaveBeenCalledTimes(1);
    expect(link.toCapturing('grab', {}, 1000)).toBeUndefined();
  });

  it('after a background restart, finds the page whose capture kept running', async () => {
    fakeRuntime();
    const log: string[] = [];
    openPage('idle page', 0, log, false);
    openPage('capturing page', 0, log, true);
    const link = new PageHostLink(() => {}, () => {});
    expect(await link.hasHost(2000)).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(await link.findCapturing(1000)).toBe(true);
    await link.toCapturing('grab', {}, 1000);
    expect(log).toEqual(['capturing page grab']);
  });

  it('opens Live on the page the person used last; its commands go there; its closing ends the conversation', async () => {
    fakeRuntime();
    const liveLost = vi.fn();
    const link = new PageHostLink(() => {}, () => {}, liveLost);
    const log: string[] = [];
    const page = (name: string, engagedAt: number) =>
      serveCapturePort(
        captureHandlers({
          'start-live': () => (log.push(`${name} start-live`), { ok: true }),
          'live-frame': ({ data, now }) => { log.push(`${name} frame ${data}${now ? ' now' : ''}`); },
          status: () => ({ active: false, live: name === 'sidebar' }),
        }),
        { reconnectMs: 200, onConnect: (events) => events.notify('engaged', { at: engagedAt }) },
      );
    page('panel tab', 100);
    page('sidebar', 200);
    await vi.advanceTimersByTimeAsync(0);
    expect(link.isTalking).toBe(false);
    expect(await link.startLiveOnEngagedHost({ proxyUrl: 'http://p', accessToken: 't', model: 'm' }, 1000)).toEqual({ ok: true });
    await link.toTalking('live-frame', { data: 'jpeg', now: true }, 1000);
    expect(log).toEqual(['sidebar start-live', 'sidebar frame jpeg now']);
    expect(link.isTalking).toBe(true);

    pageEnd(1).disconnect(); // the sidebar is closed
    await vi.advanceTimersByTimeAsync(0);
    expect(liveLost).toHaveBeenCalledTimes(1);
    expect(link.isTalking).toBe(false);
    expect(link.toTalking('mute', { muted: true }, 1000)).toBeUndefined();
  });

  it('after a background restart, finds the page still holding the Live conversation', async () => {
    fakeRuntime();
    const log: string[] = [];
    serveCapturePort(captureHandlers({ status: () => ({ active: false }) }), { reconnectMs: 200 });
    serveCapturePort(captureHandlers({ status: () => ({ active: false, live: true }), mute: ({ muted }) => { log.push(`muted ${muted}`); } }), { reconnectMs: 200 });
    const link = new PageHostLink(() => {}, () => {});
    expect(await link.hasHost(2000)).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(await link.findTalking(1000)).toBe(true);
    await link.toTalking('mute', { muted: true }, 1000);
    expect(log).toEqual(['muted true']);
  });
});
