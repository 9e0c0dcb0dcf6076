// The microphone worklet's processor, run in Node inside a stand-in AudioWorkletGlobalScope:
// 48 kHz render quanta in, 40 ms chunks of 16 kHz PCM out, with the input level.
import { beforeAll, describe, expect, it } from 'vitest';
import type { MicChunkMessage } from '../../lib/live/worklet/mic-messages.ts';

interface FakePort { posted: MicChunkMessage[]; onmessage: ((e: { data: unknown }) => void) | null; postMessage(m: MicChunkMessage): void }
type ProcessorInstance = { port: FakePort; process(inputs: Float32Array[][]): boolean };
type ProcessorCtor = new (options: { processorOptions?: unknown }) => ProcessorInstance;

const registered = new Map<string, ProcessorCtor>();

beforeAll(async () => {
  const scope = globalThis as Record<string, unknown>;
  scope.sampleRate = 48000;
  scope.currentTime = 0;
  scope.AudioWorkletProcessor = class {
    port: FakePort = { posted: [], onmessage: null, postMessage(m) { this.posted.push(m); } };
  };
  scope.registerProcessor = (name: string, ctor: ProcessorCtor) => registered.set(name, ctor);
  await import('../../lib/live/worklet/mic-processor.ts');
});

function quanta(seconds: number, hz: number, amplitude: number): Float32Array[] {
  const all = new Float32Array(48000 * seconds);
  for (let i = 0; i < all.length; i++) all[i] = amplitude * Math.sin((2 * Math.PI * hz * i) / 48000);
  const out: Float32Array[] = [];
  for (let i = 0; i < all.length; i += 128) out.push(all.slice(i, i + 128));
  return out;
}

describe('mic-processor worklet', () => {
  it('registers under the name the page uses', async () => {
    const { MIC_PROCESSOR_NAME } = await import('../../lib/live/worklet/mic-messages.ts');
    expect(registered.has(MIC_PROCESSOR_NAME)).toBe(true);
  });

  it('turns 48 kHz render quanta into 40 ms chunks of 16 kHz PCM with the input level', () => {
    const Processor = registered.get('sightline-mic')!;
    const p = new Processor({ processorOptions: { chunkMs: 40 } });
    for (const q of quanta(1, 1000, 0.5)) expect(p.process([[q]])).toBe(true);
    const chunks = p.port.posted;
    expect(chunks.length).toBe(24); // 1 s = 25 chunks of 640 samples, minus the filter's ~2 ms delay
    for (const c of chunks) {
      expect(c.type).toBe('chunk');
      expect(c.pcm.byteLength).toBe(640 * 2);
      expect(c.level).toBeCloseTo(0.5 / Math.SQRT2, 2);
    }
    // 'stop' flushes the partial chunk and the filter's tail, then ends processing.
    p.port.onmessage!({ data: { type: 'stop' } });
    const total = p.port.posted.reduce((n, c) => n + c.pcm.byteLength / 2, 0);
    expect(Math.abs(total - 16000)).toBeLessThanOrEqual(2);
    expect(p.process([[new Float32Array(128)]])).toBe(false);
  });

  it('down-mixes two channels and keeps running while no input is connected', () => {
    const p = new (registered.get('sightline-mic')!)({ processorOptions: { chunkMs: 20 } });
    expect(p.process([[]])).toBe(true);
    for (const q of quanta(0.1, 440, 0.4)) p.process([[q, q]]);
    expect(p.port.posted.length).toBeGreaterThanOrEqual(4);
    expect(p.port.posted[1]!.level).toBeCloseTo(0.4 / Math.SQRT2, 2);
  });
});
