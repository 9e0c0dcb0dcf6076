/**
 * Both ends of CAPTURE_PORT (protocol in lib/protocol/capture.ts): the one channel between the background and
 * a capturing page. Commands and their replies, and the page's events, all go on it.
 *
 * The background may stop at any time (Chrome's service worker idles out, Firefox suspends its event page); its
 * ports then disconnect. The page reconnects, which starts the background again, and sends the events it could
 * not deliver meanwhile, so the end of a capture is never lost. Messages on the port keep the background awake
 * as runtime messages did (measured in Firefox 153 with a 2 s idle timeout; Chrome 114+ documents the same).
 */
import { browser, type Browser } from 'wxt/browser';
import { CAPTURE_PORT, type CaptureCommands, type CaptureEvent, type CaptureHostEvents } from '../protocol/capture.ts';
import { rpcClient, serveRpc, type RpcClient, type RpcHandlers } from './rpc.ts';
import { portChannel } from './channels.ts';

/** Events kept while disconnected; past it the oldest frame or level news goes first (never a start, an end or a transcript). */
const MAX_QUEUED_EVENTS = 20;

export interface ServeCapturePortOptions {
  /** Wait before reconnecting after the background went away (ms). */
  reconnectMs: number;
  /** Called on each new connection (after queued events are sent), e.g. to say again when this page was used. */
  onConnect?: (events: RpcClient<CaptureHostEvents>) => void;
}

export interface CapturePortPage {
  /** Sends an event to the background, or keeps it until the port is back. */
  emit(event: CaptureEvent): void;
  /** The events side of the port while connected, for messages that need no queueing. */
  events(): RpcClient<CaptureHostEvents> | undefined;
}

/**
 * Page side (offscreen document, Firefox sidebar): opens CAPTURE_PORT, answers the background's commands with
 * `handlers`, reconnects whenever the background goes away.
 */
export function serveCapturePort(handlers: RpcHandlers<CaptureCommands>, options: ServeCapturePortOptions): CapturePortPage {
  let events: RpcClient<CaptureHostEvents> | undefined;
  const queue: CaptureEvent[] = [];

  const keep = (event: CaptureEvent) => {
    queue.push(event);
    if (queue.length <= MAX_QUEUED_EVENTS) return;
    const news = queue.findIndex((e) => e.type === 'frame' || e.type === 'frame-dropped' || e.type === 'live-level');
    queue.splice(news >= 0 ? news : 0, 1);
  };

  function connect(): void {
    let port: Browser.runtime.Port;
    try {
      port = browser.runtime.connect({ name: CAPTURE_PORT });
    } catch {
      return; // the extension was reloaded or removed: this page is going away too
    }
    const channel = portChannel(port, 'The Sightline background restarted.');
    serveRpc<CaptureCommands>(channel, handlers);
    const client = rpcClient<CaptureHostEvents>(channel, { timeoutMs: 0 }); // events only: nothing waits
    events = client;
    port.onDisconnect.addListener(() => {
      if (events === client) events = undefined;
      setTimeout(connect, options.reconnectMs);
    });
    for (const event of queue.splice(0)) if (!client.notify('capture', event)) keep(event);
    options.onConnect?.(client);
  }

  connect();
  return {
    emit(event) {
      if (!events?.notify('capture', event)) keep(event);
    },
    events: () => events,
  };
}

/** A capturing page as the background sees it. */
export interface HostConnection {
  /** Commands to this page, each answered with its typed reply. */
  readonly commands: RpcClient<CaptureCommands>;
  /** When the page connected (ms since the epoch). */
  readonly connectedAt: number;
  /** When the person last clicked or typed in it (ms since the epoch; 0 if it never said). */
  engagedAt: number;
}

export interface AcceptCaptureHostsOptions {
  /** Default command timeout (ms); calls may set their own. */
  timeoutMs: number;
  /** What a command waiting on a page that goes away rejects with. */
  closedMessage: string;
  /** What a command that timed out rejects with; default names the command. */
  timeoutMessage?: (command: string) => string;
  /** A capture in some page reported something. */
  onEvent(event: CaptureEvent, host: HostConnection): void;
  /** A page disconnected (closed, reloaded); its waiting commands have rejected. */
  onGone?(host: HostConnection): void;
}

export interface HostConnections {
  /** The pages connected now, oldest first (one whose `commands` the background closed counts as gone). */
  list(): HostConnection[];
  /** True as soon as a page is connected (at once if one is); false if none connects within `waitMs`. */
  whenConnected(waitMs: number): Promise<boolean>;
}

/**
 * Background side: accepts the capturing pages' ports. Call it when the background starts, synchronously, so
 * the connection that woke it is not missed.
 */
export function acceptCaptureHosts(options: AcceptCaptureHostsOptions): HostConnections {
  const hosts = new Set<HostConnection>();
  const waiters = new Set<() => void>();

  browser.runtime.onConnect.addListener((port) => {
    if (port.name !== CAPTURE_PORT) return;
    const channel = portChannel(port, options.closedMessage);
    const host: HostConnection = {
      commands: rpcClient<CaptureCommands>(channel, { timeoutMs: options.timeoutMs, timeoutMessage: options.timeoutMessage }),
      connectedAt: Date.now(),
      engagedAt: 0,
    };
    serveRpc<CaptureHostEvents>(channel, {
      capture: (event) => options.onEvent(event, host),
      engaged: ({ at }) => {
        host.engagedAt = Math.max(host.engagedAt, at);
      },
    });
    channel.onClose(() => {
      hosts.delete(host);
      options.onGone?.(host);
    });
    hosts.add(host);
    for (const wake of [...waiters]) wake();
  });

  const list = () => [...hosts].filter((h) => !h.commands.closed);
  return {
    list,
    async whenConnected(waitMs) {
      if (list().length > 0 || waitMs <= 0) return list().length > 0;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, waitMs);
        waiters.add(done);
      });
      return list().length > 0;
    },
  };
}
