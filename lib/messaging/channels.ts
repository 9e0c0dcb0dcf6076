/**
 * Channel adapters for rpc.ts: a runtime Port (between extension contexts), a Worker and the Worker's own
 * scope (page ⇄ encode Worker), and a MessagePort. Each says when the other side is gone, so waiting calls
 * reject at once instead of at their timeout.
 */
import type { Channel } from './rpc.ts';

/** The part of a runtime.Port (Chrome and Firefox) the adapter uses. */
export interface RuntimePortLike {
  postMessage(message: unknown): void;
  onMessage: { addListener(listener: (message: unknown) => void): void };
  onDisconnect: { addListener(listener: () => void): void };
}

/**
 * A runtime Port. Messages are JSON-serialised in Chrome, so `transfer` is ignored. `closedReason` is what
 * waiting calls reject with when the port disconnects (the other context closed or restarted).
 */
export function portChannel(port: RuntimePortLike, closedReason = 'The other side of the port went away.'): Channel {
  return {
    post: (message) => port.postMessage(message),
    onMessage: (listener) => port.onMessage.addListener(listener),
    onClose: (listener) => port.onDisconnect.addListener(() => listener(closedReason)),
  };
}

/** The part of a Worker the adapter uses (a fake in tests). */
export interface WorkerLike {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  addEventListener(type: 'messageerror' | 'error', listener: (event: Event) => void): void;
}

/**
 * A dedicated Worker, from the page that started it. A Worker that fails to load or throws outside a call
 * (`error`), or whose message cannot be read (`messageerror`), counts as gone: its calls would never be answered.
 */
export function workerChannel(worker: WorkerLike, closedReason = 'The Worker stopped.'): Channel {
  return {
    post: (message, transfer = []) => worker.postMessage(message, transfer),
    onMessage: (listener) => worker.addEventListener('message', (ev) => listener(ev.data)),
    onClose(listener) {
      let done = false;
      const gone = (ev: Event) => {
        ev.preventDefault?.(); // handled here: not also an uncaught error in the page's console
        if (done) return;
        done = true;
        listener(closedReason);
      };
      worker.addEventListener('error', gone);
      worker.addEventListener('messageerror', gone);
    },
  };
}

/** The part of a Worker's global scope the adapter uses. */
export interface WorkerScopeLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

/** Inside a Worker: the channel to the page that started it (which never closes from this side's view). */
export function workerScopeChannel(scope: WorkerScopeLike): Channel {
  return {
    post: (message) => scope.postMessage(message),
    onMessage: (listener) => scope.addEventListener('message', (ev) => listener(ev.data)),
    onClose: () => {},
  };
}

/**
 * One end of a MessageChannel. Its `close` event (fired when either end closes, where the platform supports it)
 * ends the channel; `messageerror` too.
 */
export function messagePortChannel(port: MessagePort, closedReason = 'The message port closed.'): Channel {
  port.start();
  return {
    post: (message, transfer = []) => port.postMessage(message, transfer),
    onMessage: (listener) => port.addEventListener('message', (ev) => listener(ev.data)),
    onClose(listener) {
      let done = false;
      const gone = () => {
        if (done) return;
        done = true;
        listener(closedReason);
      };
      port.addEventListener('close', gone);
      port.addEventListener('messageerror', gone);
    },
  };
}
