/**
 * Chrome's offscreen document: runs captures on the service worker's commands, over CAPTURE_PORT. The Live
 * conversation (lib/live) is composed in by the entrypoint, which may import it; this folder may not.
 */
import { createCaptureHost } from './capture-host.ts';
import { serveCapturePort, type CapturePortPage } from '../../messaging/capture-port.ts';
import type { CaptureEvent, GrabResult, LiveCommands } from '../../protocol/capture.ts';
import type { RpcHandlers } from '../../messaging/rpc.ts';

/** A restarted service worker is up within milliseconds. */
const RECONNECT_MS = 100;

/** What a page's Live conversation (lib/live/live-host.ts) gives the host: its commands, and a tap on the frames. */
export interface OffscreenLive {
  handlers: RpcHandlers<LiveCommands>;
  /** Each kept frame of the share (base64 JPEG). */
  frame(jpegBase64: string): void;
  active(): boolean;
}

/**
 * Serves the capture commands, and the Live ones through `live` (made with the page's `emit` and a frame
 * grabber, so the Live conversation can send a fresh frame with typed text).
 */
export function runOffscreenHost(live: (emit: (event: CaptureEvent) => void, grab: () => Promise<GrabResult>) => OffscreenLive): void {
  let page: CapturePortPage | undefined;
  let liveHost: OffscreenLive | undefined;
  // Events start only after a command arrived on the port, so `page` is set by then.
  const host = createCaptureHost((event) => {
    page?.emit(event);
    if (event.type === 'frame') liveHost?.frame(event.frame.data);
  });
  liveHost = live((event) => page?.emit(event), async () => host.handlers.grab({}));
  const liveNow = liveHost;
  const status = async () => ({ ...(await host.handlers.status()), live: liveNow.active() });
  page = serveCapturePort({ ...host.handlers, ...liveHost.handlers, status }, { reconnectMs: RECONNECT_MS });
}
