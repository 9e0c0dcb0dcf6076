/** Hear the tab: the WebM splitter, the 60-second ring (length, memory bound), WAV and base64, the speech classifier. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { WebmSplitter, webmInfo } from '../../lib/core/audio/webm.ts';
import { AudioRing, SOUND_WINDOW_MS } from '../../lib/core/audio/ring.ts';
import { asksAboutSound, base64Of, bytesOfBase64, clipOf, wavClipOf } from '../../lib/core/audio/clip.ts';
import { WAV_HEADER_BYTES, wavInfo, wavOf } from '../../lib/core/audio/wav.ts';
import { cat, cutInto, webmCluster, webmInit, webmRecording } from '../support/webm.ts';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'audio');
const chromium = new Uint8Array(readFileSync(join(FIXTURES, 'chromium-opus-32k.webm')));
const blobBytes = (JSON.parse(readFileSync(join(FIXTURES, 'chromium-opus-32k.json'), 'utf8')) as { blobBytes: number[] }).blobBytes;

describe('WebmSplitter', () => {
  it('reads Chromium\'s own recording, cut where its blobs were cut: the init segment, then one Cluster a second', () => {
    const s = new WebmSplitter();
    const clusters = cutInto(chromium, blobBytes).flatMap((piece) => s.push(piece));
    const open = s.current();
    expect(s.init).toBeDefined();
    expect(webmInfo(s.init!)).toMatchObject({ docType: 'webm', codec: 'A_OPUS', clusters: 0 });
    expect(clusters.map((c) => c.startMs)).toEqual([0, expect.any(Number), expect.any(Number)]);
    expect(open).toBeDefined();
    // 3.3 s recorded.
    expect(open!.endMs).toBeGreaterThan(3000);
    expect(open!.endMs).toBeLessThan(3600);
    // Init and Clusters are the whole stream again, byte for byte (the Segment was already of unknown size).
    expect(cat(s.init!, ...clusters.map((c) => c.bytes), open!.bytes)).toEqual(chromium);
  });

  it('gives the same Clusters however the stream is cut (property)', () => {
    const whole = webmRecording(5);
    const reference = new WebmSplitter().push(cat(whole, webmCluster(99_000, 1)));
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 80 }), (sizes) => {
        const s = new WebmSplitter();
        const got = [...cutInto(whole, sizes), webmCluster(99_000, 1)].flatMap((p) => s.push(p));
        expect(got.map((c) => [c.startMs, c.endMs, c.bytes.length])).toEqual(reference.map((c) => [c.startMs, c.endMs, c.bytes.length]));
      }),
      { numRuns: 200 },
    );
  });

  it('reads Clusters of known size too, and holds bytes that are not WebM', () => {
    const known = cat(webmInit(), new Uint8Array([0x1f, 0x43, 0xb6, 0x75, 0x85]), new Uint8Array([0xe7, 0x83, 0, 0x03, 0xe8]));
    const s = new WebmSplitter();
    expect(s.push(known)).toEqual([{ bytes: known.slice(webmInit().length), startMs: 1000, endMs: 1020 }]);
    const junk = new WebmSplitter();
    expect(junk.push(new Uint8Array([0, 0, 0, 0]))).toEqual([]);
    expect(junk.init).toBeUndefined();
  });
});

describe('AudioRing', () => {
  it('keeps the last 60 s of a longer recording as one playable file', () => {
    const ring = new AudioRing();
    for (const piece of cutInto(webmRecording(75), Array(400).fill(1000))) ring.push(piece);
    const win = ring.window()!;
    expect(win.durationMs).toBeLessThanOrEqual(SOUND_WINDOW_MS);
    expect(win.durationMs).toBeGreaterThanOrEqual(SOUND_WINDOW_MS - 1000);
    const info = webmInfo(win.bytes);
    expect(info).toMatchObject({ docType: 'webm', codec: 'A_OPUS' });
    expect(info.durationMs).toBe(win.durationMs);
    // A window starts with the EBML magic and the Segment, then a Cluster: any WebM decoder can start there.
    expect(Array.from(win.bytes.slice(0, 4))).toEqual([0x1a, 0x45, 0xdf, 0xa3]);
  });

  it('a short recording is sent whole', () => {
    const ring = new AudioRing();
    ring.push(webmRecording(12));
    expect(ring.window()!.durationMs).toBe(12_000);
    expect(new AudioRing().window()).toBeUndefined();
  });

  it('never holds more than its memory bound, dropping the oldest first', () => {
    const ring = new AudioRing({ maxBytes: 50_000 });
    // 2 kB blocks, 20 a second: 40 kB a second.
    for (const piece of cutInto(webmRecording(30, { bytesPerBlock: 2000 }), Array(700).fill(1500))) {
      ring.push(piece);
      expect(ring.bytes).toBeLessThanOrEqual(50_000 + 1500);
    }
    const win = ring.window()!;
    expect(win.durationMs).toBeLessThan(3000);
    expect(webmInfo(win.bytes).durationMs).toBe(win.durationMs);
  });

  it('forgets everything on reset (pause), and bytes that never become WebM do not pile up', () => {
    const ring = new AudioRing({ maxBytes: 10_000 });
    ring.push(webmRecording(3));
    ring.reset();
    expect(ring.window()).toBeUndefined();
    expect(ring.bytes).toBe(0);
    ring.push(new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00]));
    ring.push(new Uint8Array(20_000));
    expect(ring.bytes).toBeLessThanOrEqual(10_000);
  });
});

describe('clips', () => {
  it('WAV: a valid 16 kHz mono PCM header and the right length', () => {
    const samples = new Float32Array(16_000 * 60).map((_, i) => Math.sin((i / 16_000) * 2 * Math.PI * 440));
    const wav = wavOf(samples, 16_000);
    expect(wav.length).toBe(WAV_HEADER_BYTES + samples.length * 2);
    expect(wavInfo(wav)).toEqual({ channels: 1, sampleRate: 16_000, bitsPerSample: 16, durationMs: 60_000 });
    expect(wavInfo(wav.slice(0, 100))).toBeUndefined();
    expect(wavInfo(new TextEncoder().encode('RIFF....WAVEjunk'))).toBeUndefined();
    const clip = wavClipOf(samples, 16_000);
    expect(clip).toMatchObject({ mimeType: 'audio/wav', durationMs: 60_000, bytes: wav.length });
    expect(wavInfo(bytesOfBase64(clip.data))!.durationMs).toBe(60_000);
  });

  it('WebM: the ring\'s window as a clip', () => {
    const ring = new AudioRing();
    ring.push(webmRecording(4));
    const clip = clipOf(ring.window()!);
    expect(clip).toMatchObject({ mimeType: 'audio/webm', durationMs: 4000 });
    expect(webmInfo(bytesOfBase64(clip.data)).durationMs).toBe(4000);
  });

  it('base64 matches the platform\'s (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(base64Of(bytes)).toBe(Buffer.from(bytes).toString('base64'));
        expect(Array.from(bytesOfBase64(base64Of(bytes)))).toEqual(Array.from(bytes));
      }),
    );
  });
});

describe('asksAboutSound', () => {
  it('hears questions about what was said', () => {
    for (const q of ['What did he say?', 'what did the speaker just say', 'What was said about the budget?', 'Summarise the call', 'summarize this lecture', 'What happened in the last minute?', 'What is she talking about?', 'what song is this', 'Can you transcribe that?']) {
      expect(asksAboutSound(q), q).toBe(true);
    }
  });

  it('leaves questions about the picture alone', () => {
    for (const q of ['What does this chart show?', 'Where is the export button?', 'Summarise this page', 'What does the error say?', 'Which line has the typo?']) {
      expect(asksAboutSound(q), q).toBe(false);
    }
  });
});
