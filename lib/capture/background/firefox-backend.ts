/**
 * Firefox's capture (no tabCapture, no offscreen documents):
 * - tab: tabs.captureVisibleTab sampled here in the background page, through the same FrameSampler,
 *   change detection and JPEG Worker as Chrome's streams;
 * - camera and screen: getUserMedia / getDisplayMedia in the sidebar (page-capture-host.ts), driven by
 *   the same commands Chrome's offscreen document answers.
 * The background is a suspendable event page: a tab capture is remembered in storage.session and resumed
 * when the page starts again; a sidebar's capture keeps running and is found again.
 * Live mode: the sidebar (or the panel page) holds the conversation — socket, microphone, player — while it is
 * open, as Chrome's offscreen document does; a tab shared from here sends it its kept frames ('live-frame').
 */
import { browser } from 'wxt/browser';
import type { CaptureSettings } from '../../protocol/messages.ts';
import type { CaptureEvent, GrabResult } from '../../protocol/capture.ts';
import type { CaptureBackend, GrabOptions, StartRequest } from '../backend.ts';
import { CaptureBudget, FIREFOX_CAPTURES_PER_SECOND } from '../../core/frames/capture-budget.ts';
import { FrameEncoder } from '../page/encoder.ts';
import { PageHostLink } from './page-host-link.ts';
import { FrameSampler } from '../page/sampler.ts';
import { notInFrontMessage, visibleTabSource } from '../page/visible-tab-source.ts';
import { normalizeRegions, type Region } from '../../core/frames/redaction.ts';
import { firefoxTabCaptureItem } from '../../storage/items.ts';
import type { StoredTabCapture } from '../../storage/shapes.ts';

const GRAB_TIMEOUT_MS = 4000;
const COMMAND_TIMEOUT_MS = 15_000;
/** After a restart, how long to wait for the sidebar's port before deciding nothing is captured. */
const HOST_RECONNECT_WAIT_MS = 2000;

interface TabCapture extends StoredTabCapture {
  sampler: FrameSampler;
  encoder: FrameEncoder;
}

/** Firefox has no tabCapture, and captureVisibleTab takes pictures only (docs/firefox.md). */
export const FIREFOX_NO_TAB_SOUND = 'Firefox cannot capture a tab’s sound: Sightline sees this tab but does not hear it.';

const LIVE_PAGE_CLOSED =
  'The Sightline sidebar was closed, so the voice conversation ended: in Firefox it runs in the sidebar. Open it and press Start talking again.';

const SIDEBAR_CLOSED =
  'The Sightline sidebar was closed, so sharing stopped: in Firefox the camera and the screen are seen through the sidebar. Open it and share again.';

export function createFirefoxCapture(): CaptureBackend {
  let sink: ((event: CaptureEvent) => void) | undefined;
  const emit = (event: CaptureEvent) => sink?.(event);
  const link = new PageHostLink(
    emit,
    () => emit({ type: 'capture-ended', reason: SIDEBAR_CLOSED }),
    () => emit({ type: 'live-ended', reason: LIVE_PAGE_CLOSED }),
  );
  let tab: TabCapture | undefined;

  const remember = (t: StoredTabCapture | undefined) =>
    firefoxTabCaptureItem.setValue(t ? { tabId: t.tabId, settings: t.settings, paused: t.paused } : null);

  function runTab(stored: StoredTabCapture): void {
    const encoder: FrameEncoder = new FrameEncoder({
      // Without its encoder the tab would go on being sampled for nothing: sharing ends and says why.
      onFailed: (err) => {
        if (tab?.encoder !== encoder) return;
        stopTab();
        void remember(undefined);
        emit({ type: 'capture-ended', reason: err.message });
      },
    });
    const source = visibleTabSource({ tabId: stored.tabId, tabs: browser.tabs, budget: new CaptureBudget(FIREFOX_CAPTURES_PER_SECOND) });
    const sampler = new FrameSampler(source, encoder, stored.settings, {
      onFrame: (frame) => {
        emit({ type: 'frame', frame });
        liveFrame(frame.data);
      },
      onDropped: () => emit({ type: 'frame-dropped' }),
    });
    sampler.setPaused(stored.paused);
    sampler.start();
    tab = { ...stored, sampler, encoder };
  }

  /** A kept frame of the tab, to the page holding the Live conversation (which sends it as video). */
  function liveFrame(data: string): void {
    void link.toTalking('live-frame', { data }, COMMAND_TIMEOUT_MS)?.catch(() => {});
  }

  function stopTab(): void {
    tab?.sampler.stop();
    tab?.encoder.close();
    tab = undefined;
  }

  async function stopAll(): Promise<void> {
    if (tab) {
      stopTab();
      await remember(undefined);
    }
    await link.toCapturing('stop', undefined, COMMAND_TIMEOUT_MS)?.catch(() => {});
    link.forgetCapturing();
  }

  return {
    listen(s) {
      sink = s;
    },

    async start(req: StartRequest) {
      await stopAll();
      if (req.source === 'tab') {
        if (req.tabId === undefined) throw new Error('Click the Sightline button on the tab you want to share first.');
        const info = await browser.tabs.get(req.tabId);
        if (!info.active) throw new Error(notInFrontMessage(info.title).replace('then ask again', 'then share it again'));
        // One picture now, so a refusal (host permission withdrawn in about:addons) is said at once, not by silence.
        const probe = await visibleTabSource({ tabId: req.tabId, tabs: browser.tabs, budget: new CaptureBudget(1) }).picture(64, 'force');
        probe?.bitmap.close();
        const settings = { ...req.settings, redactions: normalizeRegions(req.settings.redactions) };
        const stored = { tabId: req.tabId, settings, paused: false };
        runTab(stored);
        await remember(stored);
        return { label: info.title, sound: false, soundNote: FIREFOX_NO_TAB_SOUND };
      }
      const res = await link.startOnEngagedHost({ source: req.source, ...req.settings }, COMMAND_TIMEOUT_MS);
      if (!res.ok) {
        link.forgetCapturing();
        throw new Error(res.error);
      }
      return {};
    },

    stop: stopAll,

    async setPaused(paused) {
      if (tab) {
        tab.paused = paused;
        tab.sampler.setPaused(paused);
        await remember(tab);
      }
      await link.toCapturing('pause', { paused }, COMMAND_TIMEOUT_MS)?.catch(() => {});
    },

    async setRate(fps: number, minFps?: number) {
      if (tab) {
        const min = minFps ?? Math.min(tab.settings.minFps, fps);
        tab.sampler.setRate(fps, min);
        tab.settings = { ...tab.settings, fps, minFps: min };
        await remember(tab);
      }
      await link.toCapturing('set-rate', { fps, minFps }, COMMAND_TIMEOUT_MS)?.catch(() => {});
    },

    async setRedactions(regions: Region[]) {
      if (tab) {
        const redactions = normalizeRegions(regions);
        tab.sampler.setRedactions(redactions);
        tab.settings = { ...tab.settings, redactions };
        await remember(tab);
      }
      await link.toCapturing('set-redactions', { regions }, COMMAND_TIMEOUT_MS)?.catch(() => {});
    },

    async grab(opts: GrabOptions = {}) {
      // withSound is ignored: no tab sound in Firefox.
      if (tab) return tab.sampler.grab(opts.maxSide, opts.quality, opts.crop);
      const pending = link.toCapturing('grab', opts, GRAB_TIMEOUT_MS);
      if (!pending) throw new Error('Nothing is being shared.');
      const res = await pending.catch((err: Error): GrabResult => ({ ok: false, error: `No frame yet: ${err.message}` }));
      if (!res.ok) throw new Error(res.error);
      return res.frame;
    },

    async prepare(opts: { maxSide?: number; quality?: number } = {}) {
      if (tab) return tab.sampler.prepare(opts.maxSide, opts.quality);
      await link.toCapturing('prepare', opts, GRAB_TIMEOUT_MS)?.catch(() => {});
    },

    async ocr(jpeg: string) {
      // Firefox's event page has a DOM and starts Workers: read here, whichever page captures.
      const { readScreenText } = await import('../page/ocr.ts');
      return readScreenText(jpeg);
    },

    async isActive() {
      if (tab) return true;
      const stored = await firefoxTabCaptureItem.getValue();
      if (stored) {
        // The event page was suspended while a tab was shared: carry on where it stopped.
        const exists = await browser.tabs.get(stored.tabId).then(() => true, () => false);
        if (exists) {
          runTab(stored);
          return true;
        }
        await remember(undefined);
        return false;
      }
      return (await link.hasHost(HOST_RECONNECT_WAIT_MS)) && link.findCapturing(GRAB_TIMEOUT_MS);
    },

    live: {
      async start(req) {
        const res = await link.startLiveOnEngagedHost(req, COMMAND_TIMEOUT_MS);
        if (!res.ok) {
          link.forgetTalking();
          throw new Error(res.error);
        }
        // A still tab sends no new frames: the newest one goes now, so the conversation sees the tab.
        if (tab) await tab.sampler.grab().then((f) => liveFrame(f.data), () => {});
      },
      async end() {
        await link.toTalking('end-live', undefined, COMMAND_TIMEOUT_MS)?.catch(() => {});
        link.forgetTalking();
      },
      async setMuted(muted) {
        await link.toTalking('mute', { muted }, COMMAND_TIMEOUT_MS);
      },
      async sendText(text) {
        if (!link.isTalking) throw new Error('Live mode is not running.');
        // The question is about the tab now: a fresh frame of it goes first (the page grabs its own share's).
        if (tab) await tab.sampler.grab().then((f) => link.toTalking('live-frame', { data: f.data, now: true }, COMMAND_TIMEOUT_MS), () => {});
        await link.toTalking('live-text', { text }, GRAB_TIMEOUT_MS + 1000);
      },
      async isActive() {
        if (link.isTalking) return true;
        return (await link.hasHost(HOST_RECONNECT_WAIT_MS)) && link.findTalking(GRAB_TIMEOUT_MS);
      },
    },
  };
}
