/** Promise-based client for the encoding Worker (offscreen document or any extension page). */
import type { EncodeRequest, EncodeResponse } from '../../protocol/encode.ts';

export type EncodeResult = Exclude<EncodeResponse, { kind: 'error' }>;

export class FrameEncoder {
  private worker = new Worker(new URL('../worker/encode-worker.ts', import.meta.url), { type: 'module' });
  private nextId = 1;
  private pending = new Map<number, { resolve: (r: EncodeResult) => void; reject: (e: Error) => void }>();

  constructor() {
    this.worker.onmessage = (ev: MessageEvent<EncodeResponse>) => {
      const res = ev.data;
      const waiter = this.pending.get(res.id);
      if (!waiter) return;
      this.pending.delete(res.id);
      if (res.kind === 'error') waiter.reject(new Error(res.message));
      else waiter.resolve(res);
    };
  }

  /** Number of frames being encoded now; the sampler skips a tick rather than queue frames. */
  get busy(): number {
    return this.pending.size;
  }

  encode(req: Omit<EncodeRequest, 'id'>): Promise<EncodeResult> {
    const id = this.nextId++;
    const bitmap = req.bitmap;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...req, id } satisfies EncodeRequest, [bitmap]);
    });
  }

  close(): void {
    this.worker.terminate();
    for (const w of this.pending.values()) w.reject(new Error('encoder closed'));
    this.pending.clear();
  }
}
