// The microphone resampler: device rate in, 16 kHz 16-bit PCM out, tones keep their pitch and
// level, and what lies above the output's Nyquist does not fold back into the speech band.
import { describe, expect, it } from 'vitest';
import { Resampler } from '../../lib/core/live/resampler.ts';
import { base64ToInt16, int16ToBase64, rms } from '../../lib/core/live/pcm.ts';

const OUT = 16000;

function tone(hz: number, rate: number, seconds: number, amplitude = 0.5): Float32Array {
  const out = new Float32Array(Math.round(rate * seconds));
  for (let i = 0; i < out.length; i++) out[i] = amplitude * Math.sin((2 * Math.PI * hz * i) / rate);
  return out;
}

/** Feeds the input in AudioWorklet-sized blocks (128 frames), as the browser does. */
function resample(input: Float32Array, inRate: number, block = 128): Int16Array {
  const r = new Resampler({ inRate });
  const parts: Int16Array[] = [];
  for (let i = 0; i < input.length; i += block) parts.push(r.process(input.subarray(i, i + block)));
  parts.push(r.flush());
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

const toFloat = (s: Int16Array) => Float32Array.from(s, (v) => v / 32768);
/** Drops the filter's start-up and tail so only the steady state is measured. */
const steady = (s: Float32Array) => s.subarray(800, s.length - 800);

/** Frequency from rising zero crossings (interpolated), in Hz. */
function zeroCrossingHz(s: Float32Array, rate: number): number {
  const crossings: number[] = [];
  for (let i = 1; i < s.length; i++) {
    if (s[i - 1]! < 0 && s[i]! >= 0) crossings.push(i - 1 + s[i - 1]! / (s[i - 1]! - s[i]!));
  }
  const periods = crossings.length - 1;
  return (periods * rate) / (crossings.at(-1)! - crossings[0]!);
}

/** Goertzel power at `hz`, normalised so a full-scale sine of that frequency reads about 1. */
function goertzel(s: Float32Array, hz: number, rate: number): number {
  const w = (2 * Math.PI * hz) / rate;
  const c = 2 * Math.cos(w);
  let s1 = 0;
  let s2 = 0;
  for (const x of s) { const s0 = x + c * s1 - s2; s2 = s1; s1 = s0; }
  const power = s1 * s1 + s2 * s2 - c * s1 * s2;
  return (4 * power) / (s.length * s.length);
}

const db = (ratio: number) => 20 * Math.log10(ratio);

describe('Resampler', () => {
  for (const inRate of [44100, 48000]) {
    it(`keeps a 1 kHz tone's frequency and level from ${inRate} Hz to 16 kHz`, () => {
      const input = tone(1000, inRate, 1);
      const out = resample(input, inRate);
      // One second in, one second out (give or take the kernel's edge).
      expect(Math.abs(out.length - OUT)).toBeLessThanOrEqual(2);
      const s = steady(toFloat(out));
      expect(zeroCrossingHz(s, OUT)).toBeCloseTo(1000, 0);
      expect(Math.abs(db(rms(s) / rms(steady(input))))).toBeLessThan(1);
      // Nearly all the energy sits at 1 kHz, none at its neighbours.
      const at1k = goertzel(s, 1000, OUT);
      expect(at1k).toBeGreaterThan(0.24); // amplitude 0.5 -> power 0.25
      expect(goertzel(s, 1500, OUT)).toBeLessThan(at1k * 1e-4);
    });

    it(`suppresses an 11 kHz tone at ${inRate} Hz (it would alias to ${OUT - 11000} Hz) by more than 60 dB`, () => {
      const input = tone(11000, inRate, 1);
      const s = steady(toFloat(resample(input, inRate)));
      expect(db(rms(s) / rms(input))).toBeLessThan(-60);
    });
  }

  it('keeps speech-band tones (300 Hz to 6.5 kHz) within 1 dB', () => {
    for (const hz of [300, 3400, 6500]) {
      const input = tone(hz, 48000, 0.5);
      const s = steady(toFloat(resample(input, 48000)));
      expect(Math.abs(db(rms(s) / rms(steady(input))))).toBeLessThan(1);
    }
  });

  it('gives the same samples whatever the chunk sizes', () => {
    const input = tone(440, 44100, 0.3);
    const a = resample(input, 44100, 128);
    const b = resample(input, 44100, 997);
    const c = resample(input, 44100, input.length);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
  });

  it('passes 16 kHz input through at the same length, and upsamples 8 kHz to twice as many samples', () => {
    expect(Math.abs(resample(tone(1000, 16000, 0.5), 16000).length - 8000)).toBeLessThanOrEqual(2);
    const up = resample(tone(1000, 8000, 0.5), 8000);
    expect(Math.abs(up.length - 8000)).toBeLessThanOrEqual(2);
    expect(zeroCrossingHz(steady(toFloat(up)), OUT)).toBeCloseTo(1000, 0);
  });

  it('clamps overdriven input instead of wrapping around', () => {
    const out = resample(tone(500, 48000, 0.2, 3), 48000);
    expect(Math.max(...out)).toBe(32767);
    expect(Math.min(...out)).toBe(-32768);
  });

  it('refuses a rate that is not a positive integer', () => {
    expect(() => new Resampler({ inRate: 0 })).toThrow(RangeError);
    expect(() => new Resampler({ inRate: 44100.5 })).toThrow(/44100.5 Hz/);
  });
});

describe('PCM base64', () => {
  it('round-trips little-endian 16-bit samples', () => {
    const samples = Int16Array.from([0, 1, -1, 32767, -32768, 256, -257]);
    const b64 = int16ToBase64(samples);
    expect(Buffer.from(b64, 'base64')).toEqual(Buffer.from([0, 0, 1, 0, 255, 255, 255, 127, 0, 128, 0, 1, 255, 254]));
    expect(base64ToInt16(b64)).toEqual(samples);
  });
});
