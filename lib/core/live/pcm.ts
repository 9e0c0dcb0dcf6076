// 16-bit PCM as the Live API carries it: little-endian signed samples, base64 in JSON
// (`realtimeInput.audio.data` in, `serverContent.modelTurn.parts[].inlineData.data` out;
// https://ai.google.dev/api/live). Pure, runs in a page, a worklet, a worker or Node.

/** MIME type of microphone audio sent to the Live API (16 kHz mono 16-bit PCM). */
export const INPUT_AUDIO_MIME = 'audio/pcm;rate=16000';
/** Rate of microphone audio sent, in Hz. */
export const INPUT_RATE = 16000;
/** Rate of the model's spoken answer, in Hz (`audio/pcm;rate=24000`). */
export const OUTPUT_RATE = 24000;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The samples' bytes in little-endian order (a copy only on a big-endian host). */
function leBytes(samples: Int16Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
  const out = new Uint8Array(samples.length * 2);
  const view = new DataView(out.buffer);
  samples.forEach((s, i) => view.setInt16(i * 2, s, true));
  return out;
}

/** Base64 of the samples as little-endian 16-bit PCM. */
export function int16ToBase64(samples: Int16Array): string {
  const bytes = leBytes(samples);
  let binary = '';
  // String.fromCharCode takes a bounded argument list, so build the string in slices.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** Samples from base64 little-endian 16-bit PCM. A trailing odd byte is ignored. Throws on bad base64. */
export function base64ToInt16(data: string): Int16Array {
  const binary = atob(data);
  const n = binary.length >> 1;
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) {
    const v = binary.charCodeAt(2 * i) | (binary.charCodeAt(2 * i + 1) << 8);
    out[i] = v >= 0x8000 ? v - 0x10000 : v;
  }
  return out;
}

/** 16-bit samples to floats in [-1, 1), for an AudioBuffer. */
export function int16ToFloat32(samples: Int16Array): Float32Array<ArrayBuffer> {
  const out = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = samples[i]! / 32768;
  return out;
}

/** Duration in ms of `samples` samples at `rate` Hz. */
export function samplesToMs(samples: number, rate: number): number {
  return (samples * 1000) / rate;
}

/** Root-mean-square level of float samples, 0..1 (the microphone meter's reading). */
export function rms(samples: ArrayLike<number>): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += samples[i]! * samples[i]!;
  return Math.sqrt(sum / samples.length);
}
