import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { acceptCaptureHosts, serveCapturePort } from '../../lib/messaging/capture-port.ts';
import type { CaptureEvent } from '../../lib/protocol/capture.ts';
import { fakeRuntime, frame, captureHandlers as handlers, type End } from './fake-runtime-ports.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('CAPTURE_PORT', () => {
  it('carries commands with their typed replies one way and events the other, on one port', async () => {
    fakeRuntime();
    const events: CaptureEvent[] = [];
    const hosts = acceptCaptureHosts({ timeoutMs: 1000, closedMessage: 'closed', onEvent: (e) => events.push(e) });
    const page = serveCapturePort(handlers(), { reconnectMs: 100 });
    expect(await hosts.whenConnected(1000)).toBe(true);
    const host = hosts.list()[0]!;
    const grabbed = await host.commands.call('grab', { maxSide: 1536 });
    expect(grabbed).toEqual({ ok: true, frame: frame(7) });
    expect(await host.commands.call('status', undefined)).toEqual({ active: true, source: 'camera' });
    page.emit({ type: 'frame', frame: frame(1) });
    page.emit({ type: 'frame-dropped' });
    await vi.advanceTimersByTimeAsync(0);
    expect(events).toEqual([{ type: 'frame', frame: frame(1) }, { type: 'frame-dropped' }]);
    expect(fakeBrowser.runtime.connect).toHaveBeenCalledTimes(1);
  });

  it('when the page goes away, a command waiting on it rejects at once', async () => {
    fakeRuntime();
    const gone = vi.fn();
    const hosts = acceptCaptureHosts({ timeoutMs: 10_000, closedMessage: 'The capture page closed before answering.', onEvent: () => {}, onGone: gone });
    serveCapturePort(handlers({ grab: () => new Promise(() => {}) }), { reconnectMs: 100 });
    await hosts.whenConnected(1000);
    const grab = hosts.list()[0]!.commands.call('grab', {});
    const grabDone = expect(grab).rejects.toThrow('The capture page closed before answering.');
    await vi.advanceTimersByTimeAsync(0);
    (vi.mocked(fakeBrowser.runtime.connect).mock.results[0]!.value as End).disconnect(); // the document closes
    await grabDone;
    expect(hosts.list()).toEqual([]);
    expect(gone).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('when the background stops, the page reconnects (waking it) and delivers the events it kept meanwhile', async () => {
    const runtime = fakeRuntime();
    const first: CaptureEvent[] = [];
    acceptCaptureHosts({ timeoutMs: 1000, closedMessage: 'closed', onEvent: (e) => first.push(e) });
    const page = serveCapturePort(handlers(), { reconnectMs: 100 });
    await vi.advanceTimersByTimeAsync(0);

    runtime.stopBackground();
    page.emit({ type: 'frame', frame: frame(2) });
    page.emit({ type: 'capture-ended', reason: 'The camera went away.' });

    // The restarted background registers its listener at once; the page's reconnect is what wakes it.
    const second: CaptureEvent[] = [];
    const restarted = acceptCaptureHosts({ timeoutMs: 1000, closedMessage: 'closed', onEvent: (e) => second.push(e) });
    await vi.advanceTimersByTimeAsync(100);
    expect(restarted.list()).toHaveLength(1);
    expect(second).toEqual([{ type: 'frame', frame: frame(2) }, { type: 'capture-ended', reason: 'The camera went away.' }]);
    expect(first).toEqual([]);
    expect(await restarted.list()[0]!.commands.call('status', undefined)).toEqual({ active: true, source: 'camera' });
  });

  it('keeps at most 20 events while disconnected, dropping frame news first, never the end', async () => {
    const runtime = fakeRuntime();
    acceptCaptureHosts({ timeoutMs: 1000, closedMessage: 'closed', onEvent: () => {} });
    const page = serveCapturePort(handlers(), { reconnectMs: 100 });
    await vi.advanceTimersByTimeAsync(0);
    runtime.stopBackground();
    page.emit({ type: 'capture-started', source: 'tab' });
    for (let i = 0; i < 30; i++) page.emit({ type: 'frame', frame: frame(i) });
    page.emit({ type: 'capture-ended', reason: 'The shared tab was closed.' });
    const seen: CaptureEvent[] = [];
    acceptCaptureHosts({ timeoutMs: 1000, closedMessage: 'closed', onEvent: (e) => seen.push(e) });
    await vi.advanceTimersByTimeAsync(100);
    expect(seen).toHaveLength(20);
    expect(seen[0]).toEqual({ type: 'capture-started', source: 'tab' });
    expect(seen.at(-1)).toEqual({ type: 'capture-ended', reason: 'The shared tab was closed.' });
    expect(seen[1]).toEqual({ type: 'frame', frame: frame(12) }); // the newest frames were kept
  });

  it('says hello again on each connection (Firefox: when the page was last used)', async () => {
    const runtime = fakeRuntime();
    const hosts = acceptCaptureHosts({ timeoutMs: 1000, closedMessage: 'closed', onEvent: () => {} });
    serveCapturePort(handlers(), { reconnectMs: 100, onConnect: (events) => events.notify('engaged', { at: 1234 }) });
    await vi.advanceTimersByTimeAsync(0);
    expect(hosts.list()[0]!.engagedAt).toBe(1234);
    runtime.stopBackground();
    const again = acceptCaptureHosts({ timeoutMs: 1000, closedMessage: 'closed', onEvent: () => {} });
    await vi.advanceTimersByTimeAsync(100);
    expect(again.list()[0]!.engagedAt).toBe(1234);
  });

  it('whenConnected gives up after its wait and leaves no timer behind', async () => {
    fakeRuntime();
    const hosts = acceptCaptureHosts({ timeoutMs: 1000, closedMessage: 'closed', onEvent: () => {} });
    const waiting = hosts.whenConnected(500);
    await vi.advanceTimersByTimeAsync(500);
    expect(await waiting).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });
});
