import { afterEach, describe, expect, it, vi } from 'vitest';
import { ENCODER_STOPPED, FrameEncoder } from '../../lib/capture/page/encoder.ts';
import { serveRpc, type Channel } from '../../lib/messaging/rpc.ts';
import type { WorkerLike } from '../../lib/messaging/channels.ts';
import type { EncodeProtocol, EncodeRequest, EncodeResult } from '../../lib/protocol/encode.ts';

/**
 * A Worker stand-in whose inside runs the real serveRpc with the test's `encode`; `crash(type)` fires the
 * event a browser fires when the Worker fails to load or dies.
 */
class FakeWorker implements WorkerLike {
  terminated = false;
  private inside: Array<(m: unknown) => void> = [];
  private events = new EventTarget();

  constructor(encode: (req: EncodeRequest) => Promise<EncodeResult>) {
    const scope: Channel = {
      post: (message) => queueMicrotask(() => !this.terminated && this.events.dispatchEvent(new MessageEvent('message', { data: message }))),
      onMessage: (l) => void this.inside.push(l),
      onClose: () => {},
    };
    serveRpc<EncodeProtocol>(scope, { encode });
  }

  addEventListener(type: 'message' | 'messageerror' | 'error', listener: (event: MessageEvent) => void): void {
    this.events.addEventListener(type, (ev) => listener(ev as MessageEvent));
  }

  postMessage(message: unknown): void {
    if (this.terminated) return; // a terminated Worker drops messages silently, as browsers do
    queueMicrotask(() => this.inside.forEach((l) => l(message)));
  }

  terminate(): void {
    this.terminated = true;
  }

  crash(type: 'error' | 'messageerror'): void {
    this.events.dispatchEvent(new Event(type));
  }
}

const encoded: EncodeResult = { kind: 'encoded', data: 'AAAA', width: 4, height: 3, meanLuma: 100, encodeMs: 2, changed: true };
// The bitmap only travels (transferred); the fake never draws it.
const request = (): EncodeRequest => ({ bitmap: {} as ImageBitmap, quality: 0.7, sourceWidth: 4, sourceHeight: 3, mode: 'sample' });
const never = () => new Promise<EncodeResult>(() => {});

afterEach(() => vi.useRealTimers());

describe('FrameEncoder', () => {
  it('resolves each encode with the Worker’s result', async () => {
    const encoder = new FrameEncoder({ worker: new FakeWorker(async () => encoded) });
    await expect(encoder.encode(request())).resolves.toEqual(encoded);
    expect(encoder.busy).toBe(0);
  });

  it('a frame the Worker cannot encode rejects with its message; the encoder carries on', async () => {
    let first = true;
    const onFailed = vi.fn();
    const worker = new FakeWorker(async () => {
      if (first) {
        first = false;
        throw new Error('2D canvas unavailable in worker');
      }
      return encoded;
    });
    const encoder = new FrameEncoder({ worker, onFailed });
    await expect(encoder.encode(request())).rejects.toThrow('2D canvas unavailable in worker');
    await expect(encoder.encode(request())).resolves.toEqual(encoded);
    expect(onFailed).not.toHaveBeenCalled();
  });

  for (const type of ['error', 'messageerror'] as const) {
    it(`a Worker '${type}' rejects every pending encode and reports the failure once`, async () => {
      const onFailed = vi.fn();
      const worker = new FakeWorker(never);
      const encoder = new FrameEncoder({ worker, onFailed });
      const pending = [encoder.encode(request()), encoder.encode(request())];
      expect(encoder.busy).toBe(2);
      worker.crash(type);
      worker.crash(type);
      for (const p of pending) await expect(p).rejects.toThrow(ENCODER_STOPPED);
      expect(encoder.busy).toBe(0);
      expect(onFailed).toHaveBeenCalledTimes(1);
      expect(onFailed.mock.calls[0]![0].message).toBe(ENCODER_STOPPED);
      expect(worker.terminated).toBe(true);
      // Nothing more is sent to a dead Worker: the capture that owned it ends and a new one makes a new Worker.
      await expect(encoder.encode(request())).rejects.toThrow(ENCODER_STOPPED);
    });
  }

  it('an encode that times out counts as a dead Worker: all pending reject, no timer left', async () => {
    vi.useFakeTimers();
    const onFailed = vi.fn();
    const worker = new FakeWorker(never);
    const encoder = new FrameEncoder({ worker, onFailed, timeoutMs: 500 });
    const first = encoder.encode(request());
    const firstDone = expect(first).rejects.toThrow(ENCODER_STOPPED);
    await vi.advanceTimersByTimeAsync(300);
    const second = encoder.encode(request());
    const secondDone = expect(second).rejects.toThrow(ENCODER_STOPPED);
    await vi.advanceTimersByTimeAsync(200);
    await firstDone;
    await secondDone;
    expect(onFailed).toHaveBeenCalledTimes(1);
    expect(worker.terminated).toBe(true);
    expect(encoder.busy).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('close() rejects pending encodes without reporting a failure', async () => {
    const onFailed = vi.fn();
    const worker = new FakeWorker(never);
    const encoder = new FrameEncoder({ worker, onFailed });
    const pending = encoder.encode(request());
    encoder.close();
    await expect(pending).rejects.toThrow('encoder closed');
    worker.crash('error'); // terminating may fire events after close: still not a failure
    expect(onFailed).not.toHaveBeenCalled();
    expect(encoder.busy).toBe(0);
  });
});
