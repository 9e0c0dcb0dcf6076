/**
 * A direct line between Chrome's offscreen document and the service worker for the question's frame.
 * runtime.sendMessage goes to every extension page and back; a port goes to one, which shortens the time
 * from asking to the first words. Other commands keep using sendMessage.
 */
import { browser, type Browser } from 'wxt/browser';
import type { OffscreenCommand, Untargeted } from '../protocol/messages.ts';

export const CAPTURE_PORT = 'sightline-capture';

interface Call { id: number; cmd: OffscreenCommand }
interface Reply { id: number; result: unknown }

/** Offscreen side: answers commands arriving on the port; reconnects when the service worker restarts. */
export function serveCapturePort(handle: (cmd: OffscreenCommand) => Promise<unknown>): void {
  const connect = () => {
    const port = browser.runtime.connect({ name: CAPTURE_PORT });
    port.onMessage.addListener(async (msg: unknown) => {
      const { id, cmd } = msg as Call;
      port.postMessage({ id, result: await handle(cmd) } satisfies Reply);
    });
    port.onDisconnect.addListener(() => setTimeout(connect, 100));
  };
  connect();
}

/** Service-worker side: calls over the port when the offscreen document has one open, else returns undefined. */
export function capturePortClient(): { call<T>(cmd: Untargeted<OffscreenCommand>): Promise<T> | undefined } {
  let port: Browser.runtime.Port | undefined;
  let nextId = 1;
  const waiting = new Map<number, (result: unknown) => void>();
  browser.runtime.onConnect.addListener((p) => {
    if (p.name !== CAPTURE_PORT) return;
    port = p;
    p.onMessage.addListener((msg: unknown) => {
      const { id, result } = msg as Reply;
      waiting.get(id)?.(result);
      waiting.delete(id);
    });
    p.onDisconnect.addListener(() => {
      if (port === p) port = undefined;
    });
  });
  return {
    call<T>(cmd: Untargeted<OffscreenCommand>) {
      if (!port) return undefined;
      const id = nextId++;
      const sent = port;
      return new Promise<T>((resolve) => {
        waiting.set(id, resolve as (r: unknown) => void);
        sent.postMessage({ id, cmd: { target: 'offscreen', ...cmd } as OffscreenCommand } satisfies Call);
      });
    },
  };
}
