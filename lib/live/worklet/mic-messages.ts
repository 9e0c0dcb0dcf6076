// What the microphone worklet (mic-processor.ts) and the page that owns it (lib/live/mic.ts) say to
// each other over the AudioWorkletNode's MessagePort. Types only, plus the processor's name.

/** Name the processor registers under (`new AudioWorkletNode(ctx, MIC_PROCESSOR_NAME)`). */
export const MIC_PROCESSOR_NAME = 'sightline-mic';

/** `processorOptions` of the AudioWorkletNode. */
export interface MicProcessorOptions {
  /** Length of each posted chunk in ms of 16 kHz audio (10 to 250; default 40). */
  chunkMs?: number;
}

/** Worklet to page: one chunk of microphone audio. */
export interface MicChunkMessage {
  type: 'chunk';
  /** 16 kHz mono signed 16-bit PCM, host byte order (transferred, not copied). */
  pcm: ArrayBuffer;
  /** RMS level of the chunk's input, 0..1, for the microphone meter. */
  level: number;
  /** AudioContext time (s) at the end of the render quantum that completed the chunk. */
  endTime: number;
}

/** Page to worklet: send the partial chunk now ('flush'), or flush and stop processing ('stop'). */
export interface MicControlMessage {
  type: 'flush' | 'stop';
}
