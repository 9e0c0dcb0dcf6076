/**
 * Typed request/reply over any channel that carries structured messages both ways: a runtime Port, a Worker,
 * a MessagePort. One protocol map names each command with its request and reply types as a function signature
 * (`grab(request: GrabOptions): GrabResult`); `rpcClient` calls it, `serveRpc`
 * answers it, and the compiler holds both sides to the same map.
 *
 * Every call has a timeout, and when the channel closes every call still waiting rejects at once (`RpcClosedError`);
 * a reply that comes after its call was given up is ignored. No timer or table entry outlives its call.
 */

/** A protocol map: command name → `(request) => reply`. Use `void` for a command without a request. */
// `any` only here: a request of any shape, which each map narrows.
export type RpcMap<P> = { [K in keyof P]: (request: any) => unknown };
/** The request type of command K. */
export type RequestOf<P, K extends keyof P> = P[K] extends (request: infer R) => unknown ? R : never;
/** The reply type of command K (what its handler returns, unwrapped from a Promise). */
export type ReplyOf<P, K extends keyof P> = P[K] extends (request: never) => infer R ? Awaited<R> : never;

/** What the helper needs of a channel; adapters for runtime Ports, Workers and MessagePorts are in channels.ts. */
export interface Channel {
  /** Sends one message; may throw when the channel is already closed. `transfer`: objects moved, not copied. */
  post(message: unknown, transfer?: Transferable[]): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called (once) when the other side is gone; `reason` says why, in words. */
  onClose(listener: (reason: string) => void): void;
}

/** A call given up because no reply came within its timeout. */
export class RpcTimeoutError extends Error {
  override name = 'RpcTimeoutError';
}

/** A call given up because the channel closed, or the client was closed, before the reply came. */
export class RpcClosedError extends Error {
  override name = 'RpcClosedError';
}

export interface CallOptions {
  /** Overrides the client's timeout for this call (ms). */
  timeoutMs?: number;
  /** Objects moved to the other side rather than copied (an ImageBitmap to a Worker). */
  transfer?: Transferable[];
}

export interface RpcClientOptions {
  /** How long a call waits for its reply (ms), unless the call says otherwise. */
  timeoutMs: number;
  /** The timeout's message, in words for whoever sees it; default names the command. */
  timeoutMessage?: (name: string) => string;
  /** The message calls reject with when the channel closes; default is the channel's own reason. */
  closedMessage?: string;
}

export interface RpcClient<P extends RpcMap<P>> {
  /**
   * Sends command `name` and resolves with its reply. Rejects with `RpcTimeoutError` after the timeout, with
   * `RpcClosedError` when the channel closes first (or was closed), and with the handler's own message
   * (an `Error`) when the other side's handler threw.
   */
  call<K extends keyof P & string>(name: K, request: RequestOf<P, K>, options?: CallOptions): Promise<ReplyOf<P, K>>;
  /** Sends command `name` without waiting for anything (an event). False when it could not be sent (closed). */
  notify<K extends keyof P & string>(name: K, request: RequestOf<P, K>): boolean;
  /** Number of calls waiting for their reply. */
  readonly pending: number;
  /** Whether the channel closed or `close` was called: calls then reject at once. */
  readonly closed: boolean;
  /** Gives up every waiting call with `RpcClosedError(reason)`; later calls reject too. Idempotent. */
  close(reason: string): void;
}

/** What travels on the channel: a call (answered by reply or fail with its id), or an event (no answer). */
type Envelope =
  | { rpc: 'call'; id: number; name: string; request: unknown }
  | { rpc: 'event'; name: string; request: unknown }
  | { rpc: 'reply'; id: number; reply: unknown }
  | { rpc: 'fail'; id: number; error: string };

/** Other traffic on the same channel (or garbage) is not an envelope and is ignored. */
function isEnvelope(m: unknown): m is Envelope {
  if (typeof m !== 'object' || m === null) return false;
  const e: { rpc?: unknown; id?: unknown; name?: unknown; error?: unknown } = m;
  switch (e.rpc) {
    case 'call':
      return typeof e.id === 'number' && typeof e.name === 'string';
    case 'event':
      return typeof e.name === 'string';
    case 'reply':
      return typeof e.id === 'number';
    case 'fail':
      return typeof e.id === 'number' && typeof e.error === 'string';
    default:
      return false;
  }
}

interface Waiting {
  resolve: (reply: unknown) => void;
  reject: (err: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

/** The calling side of `channel` for protocol P. */
export function rpcClient<P extends RpcMap<P>>(channel: Channel, options: RpcClientOptions): RpcClient<P> {
  const waiting = new Map<number, Waiting>();
  let nextId = 1;
  let closedWith: string | undefined;

  const settle = (id: number): Waiting | undefined => {
    const w = waiting.get(id);
    if (!w) return undefined; // late (timed out, or closed): ignored
    waiting.delete(id);
    clearTimeout(w.timer);
    return w;
  };

  const close = (reason: string) => {
    if (closedWith !== undefined) return;
    closedWith = reason;
    for (const id of [...waiting.keys()]) settle(id)?.reject(new RpcClosedError(reason));
  };

  channel.onMessage((message) => {
    if (!isEnvelope(message)) return;
    if (message.rpc === 'reply') settle(message.id)?.resolve(message.reply);
    else if (message.rpc === 'fail') settle(message.id)?.reject(new Error(message.error));
  });
  channel.onClose((reason) => close(options.closedMessage ?? reason));

  return {
    call(name, request, callOptions = {}) {
      if (closedWith !== undefined) return Promise.reject(new RpcClosedError(closedWith));
      const id = nextId++;
      const timeoutMs = callOptions.timeoutMs ?? options.timeoutMs;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          settle(id)?.reject(new RpcTimeoutError(options.timeoutMessage?.(name) ?? `No answer to "${name}" within ${timeoutMs} ms.`));
        }, timeoutMs);
        // The helper's one trust point: the reply type is the protocol map's, as the server is held to it.
        waiting.set(id, { resolve: resolve as (reply: unknown) => void, reject, timer });
        try {
          channel.post({ rpc: 'call', id, name, request } satisfies Envelope, callOptions.transfer);
        } catch (err) {
          // Not sent (port already disconnected, or a value that cannot be cloned): this call fails as it is.
          settle(id)?.reject(err instanceof Error ? err : new Error(String(err)));
        }
      });
    },
    notify(name, request) {
      if (closedWith !== undefined) return false;
      try {
        channel.post({ rpc: 'event', name, request } satisfies Envelope);
        return true;
      } catch {
        return false; // closed under us: the close listener says so
      }
    },
    get pending() {
      return waiting.size;
    },
    get closed() {
      return closedWith !== undefined;
    },
    close,
  };
}

/** Answers for each command of P: the compiler checks each handler returns that command's reply type. */
export type RpcHandlers<P extends RpcMap<P>> = {
  [K in keyof P]: (request: RequestOf<P, K>) => ReplyOf<P, K> | Promise<ReplyOf<P, K>>;
};

export interface ServeOptions {
  /** A handler threw while answering an event (which has nobody to reply to). */
  onEventError?: (name: string, err: unknown) => void;
}

/**
 * The answering side of `channel` for protocol P: runs the handler named by each call and posts its reply, or
 * its error's message. Names not in `handlers` get an error reply (calls) or are ignored (events).
 */
export function serveRpc<P extends RpcMap<P>>(channel: Channel, handlers: RpcHandlers<P>, options: ServeOptions = {}): void {
  const handlerFor = (name: string): ((request: unknown) => unknown) | undefined =>
    Object.hasOwn(handlers, name) ? (handlers[name as keyof P] as (request: unknown) => unknown) : undefined;
  const post = (envelope: Envelope) => {
    try {
      channel.post(envelope);
    } catch {
      // The caller is gone; its own side has rejected the call already.
    }
  };

  channel.onMessage(async (message) => {
    if (!isEnvelope(message) || (message.rpc !== 'call' && message.rpc !== 'event')) return;
    const handler = handlerFor(message.name);
    if (message.rpc === 'event') {
      try {
        await handler?.(message.request);
      } catch (err) {
        options.onEventError?.(message.name, err);
      }
      return;
    }
    if (!handler) return post({ rpc: 'fail', id: message.id, error: `Unknown command "${message.name}".` });
    try {
      post({ rpc: 'reply', id: message.id, reply: await handler(message.request) });
    } catch (err) {
      post({ rpc: 'fail', id: message.id, error: err instanceof Error ? err.message : String(err) });
    }
  });
}
