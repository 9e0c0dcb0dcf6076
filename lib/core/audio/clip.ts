/**
 * The tab's sound as it travels: from the capture page to the background (inside a grabbed frame's payload)
 * and on to the model as an inline audio part. Pure.
 *
 * Gemini takes audio inline as `inlineData {mimeType, data}`. The formats its audio page names are WAV, MP3,
 * AIFF, AAC, OGG Vorbis and FLAC (https://ai.google.dev/gemini-api/docs/audio); WebM is not named, though
 * public reports say it is accepted. So the capture page sends WAV (wav.ts) and falls back to the ring's own
 * WebM only when the browser cannot decode it. Audio costs 32 tokens a second (same page): a minute is 1,920.
 */
import type { SoundWindow } from './ring.ts';
import { wavOf } from './wav.ts';

/** A window of the shared tab's sound, ready for a request. */
export interface SoundClip {
  mimeType: 'audio/wav' | 'audio/webm';
  /** Base64 of a whole audio file: WAV (16 kHz mono PCM), or WebM (the ring's init segment and Clusters). */
  data: string;
  /** Audio covered (ms). */
  durationMs: number;
  /** Size of the file (bytes, before base64). */
  bytes: number;
}

/** Tokens Gemini bills for audio, per second (https://ai.google.dev/gemini-api/docs/audio, "Technical details"). */
export const AUDIO_TOKENS_PER_SECOND = 32;

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 (RFC 4648, with padding) of bytes; no browser API needed. */
export function base64Of(bytes: Uint8Array): string {
  const out: string[] = [];
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out.push(B64[n >> 18]!, B64[(n >> 12) & 63]!, B64[(n >> 6) & 63]!, B64[n & 63]!);
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out.push(B64[n >> 18]!, B64[(n >> 12) & 63]!, '==');
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out.push(B64[n >> 18]!, B64[(n >> 12) & 63]!, B64[(n >> 6) & 63]!, '=');
  }
  return out.join('');
}

/** Bytes of standard base64 (padding optional); throws on a character outside the alphabet. */
export function bytesOfBase64(text: string): Uint8Array {
  const clean = text.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let o = 0;
  for (const ch of clean) {
    const v = B64.indexOf(ch);
    if (v < 0) throw new Error(`not base64: ${JSON.stringify(ch)}`);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out.subarray(0, o);
}

/** A ring's window as the clip a request carries, as recorded (WebM/Opus). */
export function clipOf(window: SoundWindow): SoundClip {
  return { mimeType: 'audio/webm', data: base64Of(window.bytes), durationMs: Math.round(window.durationMs), bytes: window.bytes.length };
}

/** Decoded mono samples (-1..1) at `sampleRate` Hz as the clip a request carries (WAV). */
export function wavClipOf(samples: Float32Array, sampleRate: number): SoundClip {
  const bytes = wavOf(samples, sampleRate);
  return { mimeType: 'audio/wav', data: base64Of(bytes), durationMs: Math.round((samples.length / sampleRate) * 1000), bytes: bytes.length };
}

// Questions about what was heard: speech, a call, a lecture, the last minute.
const SPEAKER = '(?:he|she|they|you|i|we|someone|somebody|the (?:speaker|host|presenter|teacher|professor|lecturer|narrator|guy|man|woman|person|caller|interviewer|guest|doctor|boss|other person))';
const SOUND_PATTERNS: readonly RegExp[] = [
  new RegExp(`\\bwhat (?:did|does|do) ${SPEAKER} (?:just )?(?:say|mention|ask|tell)\\b`),
  /\bwhat (?:was|is|were|are|'s) (?:being )?(?:said|spoken|asked|mentioned|discussed|talked about)\b/,
  new RegExp(`\\bwhat (?:is|was|are|were) ${SPEAKER} (?:saying|talking about|asking)\\b`),
  /\b(?:just|last) (?:said|say|mentioned)\b/,
  /\bsummar(?:ise|ize|y of) (?:the |this |that |what )?(?:call|lecture|talk|meeting|podcast|conversation|speech|discussion|audio|interview|video|episode|presentation)\b/,
  /\b(?:last|past) (?:minute|min|\d+ seconds)\b/,
  /\b(?:hear|heard|listen|listening|sound|audio|song|music|lyrics|transcri(?:be|pt))\b/,
];

/**
 * Whether a question clearly asks about what was said or heard ("what did he say?", "what was said?",
 * "summarise the call", "the last minute"): then the last minute of the tab's sound goes with it. Pure;
 * English only.
 */
export function asksAboutSound(question: string): boolean {
  const q = question.toLowerCase().replace(/[’‘]/g, "'");
  return SOUND_PATTERNS.some((p) => p.test(q));
}
