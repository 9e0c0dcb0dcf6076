/** Chrome's offscreen document: runs captures on the service worker's commands, over CAPTURE_PORT. */
import { createCaptureHost } from './capture-host.ts';
import { serveCapturePort, type CapturePortPage } from '../../messaging/capture-port.ts';

/** A restarted service worker is up within milliseconds. */
const RECONNECT_MS = 100;

export function runOffscreenHost(): void {
  let page: CapturePortPage | undefined;
  // Events start only after a command arrived on the port, so `page` is set by then.
  const host = createCaptureHost((event) => page?.emit(event));
  page = serveCapturePort(host.handlers, { reconnectMs: RECONNECT_MS });
}
