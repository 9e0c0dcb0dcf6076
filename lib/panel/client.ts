/**
 * The panel's end of the PANEL_PORT port. Keeps the latest PanelView, reconnects whenever the port
 * drops (the service worker may stop at any time), and holds commands sent while disconnected.
 */
import { browser } from 'wxt/browser';
import { PANEL_PORT, type PanelCommand } from '../protocol/messages.ts';
import { isPanelEvent } from '../protocol/panel-guards.ts';
import { applyPanelEvent, INITIAL_VIEW, type PanelView } from './view-model.ts';

/** The part of runtime.Port the client uses. */
export interface PanelPort {
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage: { addListener(listener: (message: unknown) => void): void };
  onDisconnect: { addListener(listener: () => void): void };
}

export interface PanelClient {
  get(): PanelView;
  subscribe(listener: (view: PanelView) => void): () => void;
  send(command: PanelCommand): void;
  close(): void;
}

const MAX_QUEUED = 20;
const FIRST_RETRY_MS = 50;
const MAX_RETRY_MS = 2000;

export function createPanelClient(connect: () => PanelPort): PanelClient {
  let view: PanelView = INITIAL_VIEW;
  let port: PanelPort | undefined;
  let failures = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  const queue: PanelCommand[] = [];
  const listeners = new Set<(view: PanelView) => void>();

  const publish = (next: PanelView) => {
    view = next;
    for (const l of listeners) l(view);
  };

  const retryLater = () => {
    if (closed) return;
    publish({ ...view, connection: 'reconnecting' });
    // Quick first retry (a restarted worker is up in milliseconds), slower while it keeps failing.
    const delay = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** failures);
    failures += 1;
    retryTimer = setTimeout(open, delay);
  };

  const dropped = (which: PanelPort) => {
    if (port !== which) return;
    port = undefined;
    retryLater();
  };

  const post = (p: PanelPort, command: PanelCommand): boolean => {
    try {
      p.postMessage(command);
      return true;
    } catch {
      dropped(p);
      return false;
    }
  };

  function open() {
    retryTimer = undefined;
    if (closed) return;
    let p: PanelPort;
    try {
      p = connect();
    } catch {
      // Connecting itself failed (extension reloading): try again later like any drop.
      retryLater();
      return;
    }
    port = p;
    p.onMessage.addListener((message) => {
      if (port !== p || !isPanelEvent(message)) return;
      failures = 0;
      publish(applyPanelEvent({ ...view, connection: 'open' }, message));
    });
    p.onDisconnect.addListener(() => dropped(p));
    while (queue.length && port === p) {
      if (!post(p, queue[0]!)) break;
      queue.shift();
    }
  }

  open();

  return {
    get: () => view,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    send(command) {
      if (closed) return;
      if (port && post(port, command)) return;
      queue.push(command);
      if (queue.length > MAX_QUEUED) queue.shift();
    },
    close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      const p = port;
      port = undefined;
      p?.disconnect();
      listeners.clear();
    },
  };
}

/** Open the panel's port to the service worker. */
export function connectPanel(): PanelClient {
  return createPanelClient(() => browser.runtime.connect({ name: PANEL_PORT }));
}
