/** Writes a mono 16-bit PCM WAV (a tone with pauses) for Chromium's fake microphone. Test-only. */
import { writeFileSync } from 'node:fs';

export interface ToneOptions {
  /** Sample rate in Hz (default 48000, a device's usual rate). */
  rate?: number;
  /** Tone frequency in Hz (default 440). */
  hz?: number;
  /** Length in ms (default 2000); the second half is quieter so the level moves. */
  ms?: number;
  /** Peak amplitude 0..1 (default 0.5). */
  amplitude?: number;
}

export function writeToneWav(path: string, opts: ToneOptions = {}): void {
  const rate = opts.rate ?? 48000;
  const n = Math.round((rate * (opts.ms ?? 2000)) / 1000);
  const amp = (opts.amplitude ?? 0.5) * 32767;
  const buf = Buffer.alloc(44 + n * 2);
  buf.write('RIFF', 0);
  buf.writeUInt32LE(36 + n * 2, 4);
  buf.write('WAVEfmt ', 8);
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20); // PCM
  buf.writeUInt16LE(1, 22); // mono
  buf.writeUInt32LE(rate, 24);
  buf.writeUInt32LE(rate * 2, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36);
  buf.writeUInt32LE(n * 2, 40);
  for (let i = 0; i < n; i++) {
    const gain = i < n / 2 ? 1 : 0.3;
    buf.writeInt16LE(Math.round(amp * gain * Math.sin((2 * Math.PI * (opts.hz ?? 440) * i) / rate)), 44 + i * 2);
  }
  writeFileSync(path, buf);
}

/**
 * Writes a mono 16-bit PCM WAV of pseudo-random noise (seeded, so runs are alike): every 40 ms chunk the
 * extension cuts from it differs, so a chunk can be recognised by its first bytes where it arrives.
 */
export function writeNoiseWav(path: string, opts: { rate?: number; ms?: number; amplitude?: number } = {}): void {
  const rate = opts.rate ?? 48000;
  const n = Math.round((rate * (opts.ms ?? 10_013)) / 1000);
  const amp = (opts.amplitude ?? 0.3) * 32767;
  const buf = Buffer.alloc(44 + n * 2);
  buf.write('RIFF', 0);
  buf.writeUInt32LE(36 + n * 2, 4);
  buf.write('WAVEfmt ', 8);
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20);
  buf.writeUInt16LE(1, 22);
  buf.writeUInt32LE(rate, 24);
  buf.writeUInt32LE(rate * 2, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36);
  buf.writeUInt32LE(n * 2, 40);
  let seed = 12345;
  for (let i = 0; i < n; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    buf.writeInt16LE(Math.round(amp * ((seed / 2 ** 32) * 2 - 1)), 44 + i * 2);
  }
  writeFileSync(path, buf);
}
