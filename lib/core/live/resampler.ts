// Streaming sample-rate conversion for the microphone: device rate (44.1 kHz, 48 kHz, anything) in,
// 16 kHz 16-bit PCM out, which is what the Live API takes as `realtimeInput.audio`
// (`audio/pcm;rate=16000`, https://ai.google.dev/gemini-api/docs/live-guide). Firefox cannot open a
// 16 kHz AudioContext for a microphone stream, so the browser cannot do this for us: we capture at the
// device rate and convert here, in an AudioWorklet (lib/live/worklet/mic-processor.ts).
//
// Method: band-limited interpolation with a Kaiser-windowed sinc kernel (Smith, "Digital Audio
// Resampling", https://ccrma.stanford.edu/~jos/resample/). The kernel is the anti-aliasing low-pass:
// pass band to 7 kHz, stop band (70 dB down) from 8 kHz, so nothing above the 16 kHz output's Nyquist
// folds back into speech. Pure: no browser API, so vitest checks it with synthetic tones.

/** Options for {@link Resampler}. Rates in Hz. */
export interface ResamplerOptions {
  /** Input rate in Hz (the AudioContext's `sampleRate`, e.g. 44100 or 48000). */
  inRate: number;
  /** Output rate in Hz. Defaults to 16000, the Live API's input rate. */
  outRate?: number;
  /** Stop-band attenuation in dB. Defaults to 70. */
  attenuationDb?: number;
}

// Kernel phases per input sample; between two phases the kernel is interpolated linearly.
const PHASES = 128;

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Zeroth-order modified Bessel function of the first kind (power series), for the Kaiser window. */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 50; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-12) break;
  }
  return sum;
}

/** Float sample in [-1, 1] to a rounded, clamped 16-bit integer. */
export function floatToInt16(s: number): number {
  const c = s > 1 ? 1 : s < -1 ? -1 : s;
  return Math.round(c < 0 ? c * 32768 : c * 32767);
}

/**
 * Converts a stream of float samples at `inRate` into 16-bit PCM at `outRate` (16 kHz by default).
 * Feed it chunks of any size (an AudioWorklet gives 128 frames); the filter's history and the
 * fractional read position carry over, so the output is the same whatever the chunking.
 * The output lags the input by half the kernel, about 2 ms (96 to 104 input samples at 44.1 to 48 kHz).
 * Throws RangeError for a non-positive or non-integer rate.
 */
export class Resampler {
  readonly inRate: number;
  readonly outRate: number;
  /** Kernel half-width in input samples: output n reads inputs floor(t)-half+1 .. floor(t)+half. */
  readonly half: number;
  private readonly taps: number;
  private readonly table: Float32Array;
  // Input step per output sample is num/den input samples (the rate ratio, reduced).
  private readonly num: number;
  private readonly den: number;
  private buf: Float32Array;
  private len: number;
  /** Buffer index of floor(t) for the next output sample. */
  private pos: number;
  /** Fractional part of t, as a numerator over `den`. */
  private frac = 0;

  constructor(opts: ResamplerOptions) {
    const inRate = opts.inRate;
    const outRate = opts.outRate ?? 16000;
    for (const r of [inRate, outRate]) {
      if (!Number.isInteger(r) || r <= 0) throw new RangeError(`Sample rate ${r} Hz is not a positive integer.`);
    }
    this.inRate = inRate;
    this.outRate = outRate;
    const g = gcd(inRate, outRate);
    this.num = inRate / g;
    this.den = outRate / g;

    const atten = opts.attenuationDb ?? 70;
    const minRate = Math.min(inRate, outRate);
    const passHz = 0.4375 * minRate;
    const stopHz = 0.5 * minRate;
    const fc = (passHz + stopHz) / 2 / inRate; // cutoff, cycles per input sample
    const dw = (2 * Math.PI * (stopHz - passHz)) / inRate; // transition width, radians per input sample
    // Kaiser's formulas for the window's beta and the kernel length for `atten` dB.
    const beta = atten > 50 ? 0.1102 * (atten - 8.7) : 0.5842 * (atten - 21) ** 0.4 + 0.07886 * (atten - 21);
    this.half = Math.max(2, Math.ceil((atten - 8) / (2.285 * dw) / 2));
    this.taps = 2 * this.half;
    this.table = buildTable(this.half, fc, beta);

    this.buf = new Float32Array(4096);
    // Silence before the first sample, so output 0 is centred on input 0.
    this.len = this.half - 1;
    this.pos = this.half - 1;
  }

  /** Output samples that `inputFrames` more input frames would complete (for sizing buffers). */
  private countReady(len: number): number {
    let n = 0;
    let pos = this.pos;
    let frac = this.frac;
    while (pos + this.half <= len - 1) {
      n++;
      frac += this.num;
      pos += Math.floor(frac / this.den);
      frac %= this.den;
    }
    return n;
  }

  /** Appends input samples (floats in [-1, 1] at `inRate`); returns the 16-bit samples now complete. */
  process(input: Float32Array): Int16Array {
    this.append(input);
    const out = new Int16Array(this.countReady(this.len));
    const { half, taps, table, num, den, buf } = this;
    for (let n = 0; n < out.length; n++) {
      // Kernel for fractional offset frac/den, interpolated between two stored phases.
      const phase = (this.frac / den) * PHASES;
      const p = Math.floor(phase);
      const w = phase - p;
      const a = p * taps;
      const b = a + taps;
      const start = this.pos - half + 1;
      let acc = 0;
      for (let k = 0; k < taps; k++) {
        const h = table[a + k]! + w * (table[b + k]! - table[a + k]!);
        acc += buf[start + k]! * h;
      }
      out[n] = floatToInt16(acc);
      this.frac += num;
      this.pos += Math.floor(this.frac / den);
      this.frac %= den;
    }
    this.discard();
    return out;
  }

  /** Ends the stream: pads with silence so the last input samples come out. Call once at the end. */
  flush(): Int16Array {
    return this.process(new Float32Array(this.half + 1));
  }

  private append(input: Float32Array): void {
    if (this.len + input.length > this.buf.length) {
      const bigger = new Float32Array(Math.max(this.buf.length * 2, this.len + input.length));
      bigger.set(this.buf.subarray(0, this.len));
      this.buf = bigger;
    }
    this.buf.set(input, this.len);
    this.len += input.length;
  }

  /** Drops input no future output reads (everything before the next kernel's first tap). */
  private discard(): void {
    const drop = this.pos - this.half + 1;
    if (drop <= 0) return;
    this.buf.copyWithin(0, drop, this.len);
    this.len -= drop;
    this.pos -= drop;
  }
}

/**
 * Kernel table: PHASES + 1 rows of `2*half` taps. Row p holds h(k - half + 1 - p/PHASES) for
 * k = 0..2*half-1, where h(x) = 2fc·sinc(2fc·x)·kaiser(x/half). Each row is scaled to sum to 1 so
 * a constant input comes out unchanged at every fractional offset.
 */
function buildTable(half: number, fc: number, beta: number): Float32Array {
  const taps = 2 * half;
  const table = new Float32Array((PHASES + 1) * taps);
  const i0Beta = besselI0(beta);
  for (let p = 0; p <= PHASES; p++) {
    let sum = 0;
    const row = new Float64Array(taps);
    for (let k = 0; k < taps; k++) {
      const x = k - half + 1 - p / PHASES;
      const r = x / half;
      const window = Math.abs(r) >= 1 ? 0 : besselI0(beta * Math.sqrt(1 - r * r)) / i0Beta;
      const arg = 2 * fc * x;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * arg) / (Math.PI * arg);
      row[k] = 2 * fc * sinc * window;
      sum += row[k]!;
    }
    for (let k = 0; k < taps; k++) table[p * taps + k] = row[k]! / sum;
  }
  return table;
}
