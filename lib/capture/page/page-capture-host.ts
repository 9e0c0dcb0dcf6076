/**
 * Firefox: lets an extension page (the sidebar, or the panel opened as a tab) capture the camera or the
 * screen for the background, which has no offscreen document to do it. Serves CAPTURE_PORT like Chrome's
 * offscreen document, and tells the background when the person last used this page. The page also holds the
 * Live conversation when `live` is given (composed in by the entrypoint, which may import lib/live): Firefox
 * has no offscreen document, so the visible page keeps the socket, the microphone and the player.
 */
import { createCaptureHost, LIVE_UNAVAILABLE } from './capture-host.ts';
import type { OffscreenLive } from './offscreen-host.ts';
import { serveCapturePort, type CapturePortPage } from '../../messaging/capture-port.ts';
import type { CaptureEvent, GrabResult } from '../../protocol/capture.ts';

/** The background's event page may be suspended; its restart closes the port. */
const RECONNECT_MS = 200;

/** Serves the capture commands; the Live ones through `live`, or refused when absent. */
export function runPageCaptureHost(live?: (emit: (event: CaptureEvent) => void, grab: () => Promise<GrabResult>) => OffscreenLive): void {
  let engagedAt = 0;
  let page: CapturePortPage | undefined;
  let liveHost: OffscreenLive | undefined;
  const host = createCaptureHost((event) => {
    page?.emit(event);
    if (event.type === 'frame') liveHost?.frame(event.frame.data);
  });
  liveHost = live?.((event) => page?.emit(event), async () => host.handlers.grab({}));
  const liveNow = liveHost;
  const status = async () => ({ ...(await host.handlers.status()), live: liveNow?.active() ?? false });
  page = serveCapturePort({ ...host.handlers, ...(liveHost?.handlers ?? LIVE_UNAVAILABLE), status }, {
    reconnectMs: RECONNECT_MS,
    onConnect: (events) => {
      if (engagedAt) events.notify('engaged', { at: engagedAt });
    },
  });

  // The share button's own pointerdown arrives before the share command: this page gets the capture.
  const engaged = () => {
    engagedAt = Date.now();
    page?.events()?.notify('engaged', { at: engagedAt });
  };
  addEventListener('pointerdown', engaged, true);
  addEventListener('keydown', engaged, true);
}
