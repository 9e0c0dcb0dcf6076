/** The offscreen document's side of the protocol: runs captures on the service worker's commands. */
import { browser } from 'wxt/browser';
import { isOffscreenCommand, type OffscreenEvent, type Untargeted } from '../../protocol/messages.ts';
import { createCaptureHost } from './capture-host.ts';
import { serveCapturePort } from '../../messaging/capture-port.ts';

function emit(event: Untargeted<OffscreenEvent>): void {
  // The service worker may be asleep or restarting; it reloads state from storage when it wakes.
  browser.runtime.sendMessage({ target: 'background', ...event }).catch(() => {});
}

export function runOffscreenHost(): void {
  const host = createCaptureHost(emit);
  browser.runtime.onMessage.addListener((msg: unknown) => {
    if (!isOffscreenCommand(msg)) return undefined;
    return host.handle(msg);
  });
  serveCapturePort((cmd) => host.handle(cmd));
}
