/**
 * The client of the encode Worker (offscreen document, Firefox sidebar or background page), over the typed
 * request/reply helper. A Worker that fails to load, dies or stops answering is not waited on: every pending
 * encode rejects, `onFailed` tells the capture to end with ENCODER_STOPPED, and this encoder refuses further work.
 */
import type { EncodeProtocol, EncodeRequest, EncodeResult } from '../../protocol/encode.ts';
import { rpcClient, RpcTimeoutError, type RpcClient } from '../../messaging/rpc.ts';
import { workerChannel, type WorkerLike } from '../../messaging/channels.ts';

export type { EncodeResult };

/** What the person reads when the encoder fails: sharing stopped, and how to carry on. */
export const ENCODER_STOPPED = "Sightline's frame encoder stopped, so sharing stopped. Share again to continue.";

/** No frame takes this long in a Worker (3 to 13 ms measured; the first call includes loading the Worker). */
const ENCODE_TIMEOUT_MS = 10_000;

export interface FrameEncoderOptions {
  /**
   * Called once when the Worker fails to load, dies (`error`, `messageerror`) or an encode times out; every
   * pending encode has rejected by then. Not called after `close()`.
   */
  onFailed?: (err: Error) => void;
  /** The Worker to use (a fake in tests); default starts encode-worker.ts. */
  worker?: WorkerLike & { terminate(): void };
  /** Per-encode timeout (ms). */
  timeoutMs?: number;
}

export class FrameEncoder {
  private worker: WorkerLike & { terminate(): void };
  private client: RpcClient<EncodeProtocol>;
  private onFailed: ((err: Error) => void) | undefined;
  private over = false;

  constructor(options: FrameEncoderOptions = {}) {
    this.onFailed = options.onFailed;
    this.worker = options.worker ?? new Worker(new URL('../worker/encode-worker.ts', import.meta.url), { type: 'module' });
    const channel = workerChannel(this.worker, ENCODER_STOPPED);
    this.client = rpcClient<EncodeProtocol>(channel, {
      timeoutMs: options.timeoutMs ?? ENCODE_TIMEOUT_MS,
      timeoutMessage: () => ENCODER_STOPPED,
    });
    channel.onClose(() => this.fail());
  }

  /** Number of frames being encoded now; the sampler skips a tick rather than queue frames. */
  get busy(): number {
    return this.client.pending;
  }

  /**
   * Encodes one picture (its bitmap is moved to the Worker). Rejects with the Worker's message when that frame
   * could not be encoded, and with ENCODER_STOPPED when the Worker is gone or too slow.
   */
  async encode(req: EncodeRequest): Promise<EncodeResult> {
    try {
      return await this.client.call('encode', req, { transfer: [req.bitmap] });
    } catch (err) {
      // A Worker that stopped answering one frame will not answer the next: treat it as dead.
      if (err instanceof RpcTimeoutError) this.fail();
      throw err;
    }
  }

  /** Stops the Worker; pending encodes reject with "encoder closed". */
  close(): void {
    this.over = true;
    this.worker.terminate();
    this.client.close('encoder closed');
  }

  private fail(): void {
    if (this.over) return;
    this.over = true;
    this.worker.terminate();
    this.client.close(ENCODER_STOPPED);
    this.onFailed?.(new Error(ENCODER_STOPPED));
  }
}
