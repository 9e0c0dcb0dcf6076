import { afterEach, describe, expect, it, vi } from 'vitest';
import { rpcClient, serveRpc, RpcClosedError, RpcTimeoutError, type Channel } from '../../lib/messaging/rpc.ts';
import { messagePortChannel, portChannel, workerChannel, type WorkerLike } from '../../lib/messaging/channels.ts';

/** A small protocol: each command names its request and reply types. */
interface Calc {
  add(request: { a: number; b: number }): number;
  echo(request: string): { said: string };
  ping(request: void): 'pong';
  fail(request: void): never;
  slow(request: { ms: number }): string;
}

/** Two ends joined in memory; `close()` closes both, as a port disconnect does. */
function fakePair() {
  const ends = [0, 1].map(() => ({ message: [] as Array<(m: unknown) => void>, close: [] as Array<(r: string) => void>, posted: 0 }));
  let open = true;
  const end = (i: 0 | 1): Channel => ({
    post(message) {
      if (!open) throw new Error('Attempting to use a disconnected port object');
      ends[i]!.posted++;
      // Structured, asynchronous delivery, like a real channel.
      const copy = structuredClone(message);
      queueMicrotask(() => ends[1 - i]!.message.forEach((l) => l(copy)));
    },
    onMessage: (l) => void ends[i]!.message.push(l),
    onClose: (l) => void ends[i]!.close.push(l),
  });
  return {
    a: end(0),
    b: end(1),
    close(reason = 'gone') {
      open = false;
      ends.forEach((e) => e.close.forEach((l) => l(reason)));
    },
    /** Delivers a raw message to side a, as if the other side sent it. */
    toA: (m: unknown) => ends[0]!.message.forEach((l) => l(m)),
  };
}

const handlers = {
  add: ({ a, b }: { a: number; b: number }) => a + b,
  echo: async (said: string) => ({ said }),
  ping: () => 'pong' as const,
  fail: () => {
    throw new Error('Nothing is being shared.');
  },
  slow: ({ ms }: { ms: number }) => new Promise<string>((r) => setTimeout(() => r('late'), ms)),
};

afterEach(() => vi.useRealTimers());

describe('typed request/reply', () => {
  it('answers each command with its own reply type, over a real MessageChannel', async () => {
    const { port1, port2 } = new MessageChannel();
    serveRpc<Calc>(messagePortChannel(port2), handlers);
    const client = rpcClient<Calc>(messagePortChannel(port1), { timeoutMs: 1000 });
    const sum: number = await client.call('add', { a: 2, b: 3 });
    const echoed: { said: string } = await client.call('echo', 'hi');
    const pong: 'pong' = await client.call('ping', undefined);
    expect([sum, echoed, pong]).toEqual([5, { said: 'hi' }, 'pong']);
    expect(client.pending).toBe(0);
    port1.close();
  });

  it('holds both sides to the map (checked by tsc)', () => {
    const pair = fakePair();
    // @ts-expect-error a handler must return its command's reply type
    serveRpc<Calc>(pair.b, { ...handlers, add: () => 'three' });
    // @ts-expect-error every command needs a handler
    serveRpc<Calc>(pair.b, { add: handlers.add });
    const client = rpcClient<Calc>(pair.a, { timeoutMs: 10 });
    // @ts-expect-error the request type is the command's
    void client.call('add', { a: '1', b: 2 }).catch(() => {});
    // @ts-expect-error the reply type is the command's
    const wrong: Promise<string> = client.call('add', { a: 1, b: 2 });
    void wrong.catch(() => {});
    client.close('done');
  });

  it("rejects with the handler's own message when it throws", async () => {
    const pair = fakePair();
    serveRpc<Calc>(pair.b, handlers);
    const client = rpcClient<Calc>(pair.a, { timeoutMs: 1000 });
    await expect(client.call('fail', undefined)).rejects.toThrow('Nothing is being shared.');
    expect(client.pending).toBe(0);
  });

  it('an event runs its handler and expects no reply', async () => {
    const pair = fakePair();
    const seen: string[] = [];
    serveRpc<Calc>(pair.b, { ...handlers, echo: (s) => (seen.push(s), { said: s }) });
    rpcClient<Calc>(pair.a, { timeoutMs: 1000 }).notify('echo', 'frame');
    await new Promise((r) => setTimeout(r, 0));
    expect(seen).toEqual(['frame']);
  });

  it('ignores garbage and other traffic on the channel', async () => {
    const pair = fakePair();
    serveRpc<Calc>(pair.b, handlers);
    const client = rpcClient<Calc>(pair.a, { timeoutMs: 1000 });
    for (const junk of [null, 7, 'x', { rpc: 'reply' }, { rpc: 'call', id: 'a', name: 1 }, { type: 'state' }]) pair.toA(junk);
    expect(await client.call('add', { a: 1, b: 1 })).toBe(2);
  });

  it('an unknown command is answered with an error, not silence', async () => {
    const pair = fakePair();
    serveRpc<Calc>(pair.b, handlers);
    const loose = rpcClient<{ nope(r: void): void }>(pair.a, { timeoutMs: 1000 });
    await expect(loose.call('nope', undefined)).rejects.toThrow('Unknown command "nope"');
  });
});

describe('timeouts, disconnects and leaks', () => {
  it('times out with a clear error, clears its entry, and ignores the late reply', async () => {
    vi.useFakeTimers();
    const pair = fakePair();
    serveRpc<Calc>(pair.b, handlers);
    const client = rpcClient<Calc>(pair.a, { timeoutMs: 100, timeoutMessage: (n) => `${n} did not answer` });
    const call = client.call('slow', { ms: 500 });
    const settled = expect(call).rejects.toBeInstanceOf(RpcTimeoutError);
    await vi.advanceTimersByTimeAsync(100);
    await settled;
    await expect(call).rejects.toThrow('slow did not answer');
    expect(client.pending).toBe(0);
    expect(vi.getTimerCount()).toBe(1); // only the server's own slow handler
    await vi.advanceTimersByTimeAsync(500); // the late reply arrives: nothing happens
    expect(client.pending).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a per-call timeout overrides the default', async () => {
    vi.useFakeTimers();
    const pair = fakePair();
    serveRpc<Calc>(pair.b, handlers);
    const client = rpcClient<Calc>(pair.a, { timeoutMs: 10_000 });
    const call = client.call('slow', { ms: 500 }, { timeoutMs: 50 });
    const settled = expect(call).rejects.toBeInstanceOf(RpcTimeoutError);
    await vi.advanceTimersByTimeAsync(50);
    await settled;
  });

  it('rejects every pending call at once when the other side goes away, and later calls too', async () => {
    vi.useFakeTimers();
    const pair = fakePair();
    serveRpc<Calc>(pair.b, handlers);
    const client = rpcClient<Calc>(pair.a, { timeoutMs: 10_000, closedMessage: 'The capture page closed.' });
    const calls = [client.call('slow', { ms: 5000 }), client.call('slow', { ms: 5000 })];
    await vi.advanceTimersByTimeAsync(1);
    expect(client.pending).toBe(2);
    pair.close();
    for (const c of calls) {
      await expect(c).rejects.toBeInstanceOf(RpcClosedError);
      await expect(c).rejects.toThrow('The capture page closed.');
    }
    expect(client.pending).toBe(0);
    expect(client.closed).toBe(true);
    await expect(client.call('add', { a: 1, b: 2 })).rejects.toThrow('The capture page closed.');
    await vi.advanceTimersByTimeAsync(5000); // the server's slow handlers finish: their replies cannot be sent
    expect(vi.getTimerCount()).toBe(0);
  });

  it('close() gives up waiting calls with its reason', async () => {
    const pair = fakePair();
    const client = rpcClient<Calc>(pair.a, { timeoutMs: 10_000 });
    const call = client.call('ping', undefined);
    client.close('encoder closed');
    await expect(call).rejects.toThrow('encoder closed');
    expect(client.pending).toBe(0);
  });

  it('a post that throws (port already disconnected) rejects that call and leaves nothing behind', async () => {
    vi.useFakeTimers();
    const channel: Channel = {
      post: () => {
        throw new Error('Attempting to use a disconnected port object');
      },
      onMessage: () => {},
      onClose: () => {},
    };
    const client = rpcClient<Calc>(channel, { timeoutMs: 1000 });
    await expect(client.call('ping', undefined)).rejects.toThrow('disconnected port');
    expect(client.pending).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
    expect(client.notify('ping', undefined)).toBe(false);
  });
});

describe('adapters', () => {
  it('a runtime Port: disconnect rejects waiting calls', async () => {
    const listeners = { message: [] as Array<(m: unknown) => void>, disconnect: [] as Array<() => void> };
    const port = {
      postMessage: () => {},
      onMessage: { addListener: (l: (m: unknown) => void) => void listeners.message.push(l) },
      onDisconnect: { addListener: (l: () => void) => void listeners.disconnect.push(l) },
    };
    const client = rpcClient<Calc>(portChannel(port, 'The offscreen document went away.'), { timeoutMs: 10_000 });
    const call = client.call('ping', undefined);
    listeners.disconnect.forEach((l) => l());
    await expect(call).rejects.toThrow('The offscreen document went away.');
  });

  it("a Worker: an 'error' or 'messageerror' event rejects waiting calls", async () => {
    for (const type of ['error', 'messageerror'] as const) {
      const target = new EventTarget();
      const worker: WorkerLike = {
        postMessage: () => {},
        addEventListener: (t: string, l: (ev: MessageEvent) => void) => target.addEventListener(t, (ev) => l(ev as MessageEvent)),
      };
      const client = rpcClient<Calc>(workerChannel(worker, 'The encoder stopped.'), { timeoutMs: 10_000 });
      const call = client.call('ping', undefined);
      target.dispatchEvent(new Event(type));
      await expect(call).rejects.toThrow('The encoder stopped.');
      expect(client.pending).toBe(0);
    }
  });

  it('a MessagePort: the other end closing rejects waiting calls', async () => {
    const { port1, port2 } = new MessageChannel();
    const client = rpcClient<Calc>(messagePortChannel(port1), { timeoutMs: 10_000 });
    const call = client.call('ping', undefined);
    port2.close();
    await expect(call).rejects.toThrow('The message port closed.');
  });
});
