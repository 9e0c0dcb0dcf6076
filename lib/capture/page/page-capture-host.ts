/**
 * Firefox: lets an extension page (the sidebar, or the panel opened as a tab) capture the camera or the
 * screen for the background, which has no offscreen document to do it. Serves CAPTURE_PORT like Chrome's
 * offscreen document, and tells the background when the person last used this page.
 */
import { createCaptureHost, LIVE_UNAVAILABLE } from './capture-host.ts';
import { serveCapturePort, type CapturePortPage } from '../../messaging/capture-port.ts';

/** The background's event page may be suspended; its restart closes the port. */
const RECONNECT_MS = 200;

export function runPageCaptureHost(): void {
  let engagedAt = 0;
  let page: CapturePortPage | undefined;
  const host = createCaptureHost((event) => page?.emit(event));
  page = serveCapturePort({ ...host.handlers, ...LIVE_UNAVAILABLE }, {
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
