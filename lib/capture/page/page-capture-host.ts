/**
 * Firefox has no offscreen documents: the sidebar (a visible extension page) opens the camera and the
 * screen itself and runs the same capture code as Chrome's offscreen document, on the background's commands.
 */
import { browser, type Browser } from 'wxt/browser';
import type { OffscreenEvent, Untargeted } from '../../protocol/messages.ts';
import { createCaptureHost } from './capture-host.ts';
import { CAPTURE_HOST_PORT, isBackgroundToHost, type HostToBackground } from '../../protocol/capture-host.ts';

/** The background's event page may be suspended; its restart closes the port. */
const RECONNECT_MS = 200;

function emit(event: Untargeted<OffscreenEvent>): void {
  // A runtime message (not the port) wakes a suspended background page.
  browser.runtime.sendMessage({ target: 'background', ...event }).catch(() => {});
}

export function runPageCaptureHost(): void {
  const host = createCaptureHost(emit);
  let port: Browser.runtime.Port | undefined;
  let engagedAt = 0;

  const post = (p: Browser.runtime.Port | undefined, message: HostToBackground) => {
    try {
      p?.postMessage(message);
    } catch {
      // Port closed under us: the reconnect says hello again.
    }
  };

  function connect(): void {
    const p = browser.runtime.connect({ name: CAPTURE_HOST_PORT });
    port = p;
    p.onMessage.addListener((msg: unknown) => {
      if (!isBackgroundToHost(msg)) return;
      void host.handle(msg.command).then((result) => post(p, { type: 'reply', id: msg.id, result }));
    });
    p.onDisconnect.addListener(() => {
      if (port === p) port = undefined;
      setTimeout(connect, RECONNECT_MS);
    });
    if (engagedAt) post(p, { type: 'engaged', at: engagedAt });
  }

  // The share button's own pointerdown arrives before the share command: this page gets the capture.
  const engaged = () => {
    engagedAt = Date.now();
    post(port, { type: 'engaged', at: engagedAt });
  };
  addEventListener('pointerdown', engaged, true);
  addEventListener('keydown', engaged, true);
  connect();
}
