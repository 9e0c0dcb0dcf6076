// The microphone's AudioWorklet processor: runs on the audio rendering thread, takes the device-rate
// input (128 frames per call), resamples it to 16 kHz 16-bit PCM (lib/core/live/resampler.ts) and
// posts chunks of `chunkMs` to the page, each with the chunk's input level for the meter.
// Loaded with `audioWorklet.addModule(url)` where `url` comes from
// `import url from './worklet/mic-processor.ts?worker&url'` (Vite bundles it as its own file with its
// imports inlined; https://vite.dev/guide/assets#importing-script-as-a-worker). An extension page's
// CSP (`script-src 'self'`) allows it because the file is served from the extension itself.
import { Resampler } from '../../core/live/resampler.ts';
import { MIC_PROCESSOR_NAME, type MicChunkMessage, type MicControlMessage, type MicProcessorOptions } from './mic-messages.ts';

// AudioWorkletGlobalScope is not in TypeScript's DOM library: declare the parts used here
// (https://developer.mozilla.org/en-US/docs/Web/API/AudioWorkletGlobalScope).
declare const sampleRate: number;
declare const currentTime: number;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
  constructor(options?: { processorOptions?: unknown });
}
declare function registerProcessor(name: string, ctor: new (options: { processorOptions?: unknown }) => AudioWorkletProcessor): void;

class MicProcessor extends AudioWorkletProcessor {
  private readonly resampler = new Resampler({ inRate: sampleRate });
  private readonly chunk: Int16Array;
  private filled = 0;
  private sumSquares = 0;
  private inputFrames = 0;
  private stopped = false;

  constructor(options: { processorOptions?: unknown }) {
    super(options);
    const opts = (options.processorOptions ?? {}) as MicProcessorOptions;
    const chunkMs = Math.min(Math.max(opts.chunkMs ?? 40, 10), 250);
    this.chunk = new Int16Array(Math.round((16000 * chunkMs) / 1000));
    this.port.onmessage = (e: MessageEvent<MicControlMessage>) => {
      // 'flush' sends the partial chunk now (mute, end of turn); 'stop' also ends processing.
      if (e.data.type === 'flush' || e.data.type === 'stop') {
        this.take(this.resampler.flush());
        this.post();
      }
      if (e.data.type === 'stop') this.stopped = true;
    };
  }

  process(inputs: Float32Array[][]): boolean {
    if (this.stopped) return false;
    const channels = inputs[0];
    const first = channels?.[0];
    if (!channels || !first) return true; // no input connected yet
    let mono = first;
    if (channels.length > 1) {
      // Down-mix: a mono microphone may still arrive as two identical channels.
      mono = new Float32Array(first.length);
      for (const ch of channels) for (let i = 0; i < ch.length; i++) mono[i]! += ch[i]! / channels.length;
    }
    for (let i = 0; i < mono.length; i++) this.sumSquares += mono[i]! * mono[i]!;
    this.inputFrames += mono.length;
    this.take(this.resampler.process(mono));
    return true;
  }

  private take(samples: Int16Array): void {
    let at = 0;
    while (at < samples.length) {
      const n = Math.min(samples.length - at, this.chunk.length - this.filled);
      this.chunk.set(samples.subarray(at, at + n), this.filled);
      this.filled += n;
      at += n;
      if (this.filled === this.chunk.length) this.post();
    }
  }

  private post(): void {
    if (this.filled === 0) return;
    const pcm = this.chunk.slice(0, this.filled).buffer;
    const msg: MicChunkMessage = {
      type: 'chunk',
      pcm,
      level: this.inputFrames ? Math.sqrt(this.sumSquares / this.inputFrames) : 0,
      endTime: currentTime,
    };
    this.port.postMessage(msg, [pcm]);
    this.filled = 0;
    this.sumSquares = 0;
    this.inputFrames = 0;
  }
}

registerProcessor(MIC_PROCESSOR_NAME, MicProcessor);
