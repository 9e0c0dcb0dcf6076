/**
 * WAV (RIFF, PCM 16-bit) writing and reading, for the sound a question carries. Pure.
 *
 * Why WAV at all when the ring keeps Opus: `audio/wav` is one of the formats Gemini's audio page names
 * (https://ai.google.dev/gemini-api/docs/audio, "Supported audio formats"); WebM is not. The capture page
 * decodes the ring's window to 16 kHz mono (Gemini reduces audio to 16 kbit/s resolution anyway, same page)
 * and writes it here; 60 s is 1.92 MB. Header layout: the canonical 44-byte RIFF/WAVE header with a
 * `fmt ` chunk (format 1 = PCM) and a `data` chunk (Microsoft RIFF; http://soundfile.sapp.org/doc/WaveFormat/).
 */

/** Size of the header wavOf writes (bytes). */
export const WAV_HEADER_BYTES = 44;

/** A mono 16-bit PCM WAV file of `samples` (-1..1, clipped) at `sampleRate` Hz. */
export function wavOf(samples: Float32Array, sampleRate: number): Uint8Array {
  const dataBytes = samples.length * 2;
  const out = new Uint8Array(WAV_HEADER_BYTES + dataBytes);
  const v = new DataView(out.buffer);
  const ascii = (at: number, s: string) => {
    for (let k = 0; k < s.length; k++) out[at + k] = s.charCodeAt(k);
  };
  ascii(0, 'RIFF');
  v.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  v.setUint32(16, 16, true); // fmt chunk size
  v.setUint16(20, 1, true); // PCM
  v.setUint16(22, 1, true); // mono
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, sampleRate * 2, true); // bytes per second
  v.setUint16(32, 2, true); // block align
  v.setUint16(34, 16, true); // bits per sample
  ascii(36, 'data');
  v.setUint32(40, dataBytes, true);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i]! || 0));
    v.setInt16(WAV_HEADER_BYTES + i * 2, s < 0 ? s * 0x8000 : s * 0x7fff, true);
  }
  return out;
}

/** What a WAV header says; undefined when the bytes are not a PCM WAV file this module can read. */
export interface WavInfo {
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  /** Length of the audio (ms), from the data chunk's size. */
  durationMs: number;
}

/** Reads a WAV file's header (any chunk order); checks that the data chunk fits in the bytes given. */
export function wavInfo(bytes: Uint8Array): WavInfo | undefined {
  if (bytes.length < 12) return undefined;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number) => String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
  if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE' || v.getUint32(4, true) + 8 !== bytes.length) return undefined;
  let fmt: Omit<WavInfo, 'durationMs'> | undefined;
  for (let at = 12; at + 8 <= bytes.length; ) {
    const size = v.getUint32(at + 4, true);
    if (tag(at) === 'fmt ' && size >= 16 && v.getUint16(at + 8, true) === 1) {
      fmt = { channels: v.getUint16(at + 10, true), sampleRate: v.getUint32(at + 12, true), bitsPerSample: v.getUint16(at + 22, true) };
    }
    if (tag(at) === 'data') {
      if (!fmt || at + 8 + size > bytes.length || !fmt.sampleRate || !fmt.channels || !fmt.bitsPerSample) return undefined;
      const frames = size / (fmt.channels * (fmt.bitsPerSample / 8));
      return { ...fmt, durationMs: (frames / fmt.sampleRate) * 1000 };
    }
    at += 8 + size + (size % 2);
  }
  return undefined;
}
