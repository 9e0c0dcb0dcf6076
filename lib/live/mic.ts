// The microphone for Live mode: getUserMedia at the device's own rate (echo cancellation and noise
// suppression on), an AudioWorklet that resamples to 16 kHz PCM, and chunks handed to a callback.
// No forced 16 kHz AudioContext: Firefox refuses one for a microphone stream (platform-facts.md).
// Runs in a page that can hold an AudioContext: the panel, or Chrome's offscreen document once the
// permission was granted on a visible extension page (an offscreen document cannot prompt).
import workletUrl from './worklet/mic-processor.ts?worker&url';
import { MIC_PROCESSOR_NAME, type MicChunkMessage, type MicControlMessage, type MicProcessorOptions } from './worklet/mic-messages.ts';
import { micErrorSentence } from '../core/live/close-codes.ts';

/** One chunk of microphone audio, ready for `realtimeInput.audio`. */
export interface MicChunk {
  /** 16 kHz mono signed 16-bit PCM. */
  pcm: Int16Array;
  /** Input level 0..1 (RMS) over the chunk. */
  level: number;
  /** `performance.now()` (ms) when the page received it, for latency figures. */
  receivedAt: number;
}

export interface MicOptions {
  onChunk(chunk: MicChunk): void;
  /** The track ended on its own (unplugged, permission revoked): a sentence to show. */
  onEnded?(sentence: string): void;
  /** Chunk length in ms (default 40). */
  chunkMs?: number;
  /** A device id from `enumerateDevices`, or the default microphone. */
  deviceId?: string;
}

export interface Microphone {
  /** The AudioContext's (device) rate in Hz. */
  readonly deviceRate: number;
  /** While muted no chunks are delivered (the worklet keeps running, so unmuting is instant). */
  setMuted(muted: boolean): void;
  /** Sends what is buffered in the worklet now (less than one chunk). */
  flush(): void;
  /** Stops the track and closes the AudioContext. */
  stop(): Promise<void>;
}

/** Error with a sentence a person can act on (microphone refused, missing, busy). */
export class MicError extends Error {
  constructor(message: string, cause?: unknown) { super(message, { cause }); this.name = 'MicError'; }
}

/**
 * Opens the microphone and starts delivering chunks. Throws MicError with a sentence when the
 * microphone is refused, missing or in use by another application.
 */
export async function startMicrophone(opts: MicOptions): Promise<Microphone> {
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      audio: {
        echoCancellation: true,
        noiseSuppression: true,
        autoGainControl: true,
        channelCount: 1,
        ...(opts.deviceId ? { deviceId: { exact: opts.deviceId } } : {}),
      },
    });
  } catch (err) {
    throw new MicError(micErrorSentence((err as { name?: string }).name ?? ''), err);
  }
  const ctx = new AudioContext({ latencyHint: 'interactive' });
  try {
    await ctx.audioWorklet.addModule(workletUrl);
  } catch (err) {
    stream.getTracks().forEach((t) => t.stop());
    await ctx.close();
    throw new MicError('The microphone could not start in this browser (the audio processor did not load).', err);
  }
  const source = ctx.createMediaStreamSource(stream);
  const processorOptions: MicProcessorOptions = { chunkMs: opts.chunkMs ?? 40 };
  const node = new AudioWorkletNode(ctx, MIC_PROCESSOR_NAME, { numberOfInputs: 1, numberOfOutputs: 0, processorOptions });
  let muted = false;
  node.port.onmessage = (e: MessageEvent<MicChunkMessage>) => {
    if (muted || e.data.type !== 'chunk') return;
    opts.onChunk({ pcm: new Int16Array(e.data.pcm), level: e.data.level, receivedAt: performance.now() });
  };
  source.connect(node);
  // A suspended context (no user gesture yet in this document) would deliver nothing.
  if (ctx.state === 'suspended') await ctx.resume().catch(() => {});

  const [track] = stream.getAudioTracks();
  let stopped = false;
  track?.addEventListener('ended', () => {
    if (!stopped) opts.onEnded?.(micErrorSentence('ended'));
  });
  const send = (msg: MicControlMessage) => node.port.postMessage(msg);
  return {
    deviceRate: ctx.sampleRate,
    setMuted(m) { muted = m; },
    flush() { send({ type: 'flush' }); },
    async stop() {
      if (stopped) return;
      stopped = true;
      send({ type: 'stop' });
      stream.getTracks().forEach((t) => t.stop());
      source.disconnect();
      await ctx.close().catch(() => {});
    },
  };
}
