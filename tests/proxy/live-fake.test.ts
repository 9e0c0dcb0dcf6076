// The stand-in Live server, driven by the official SDK's `ai.live.connect` exactly as the extension
// will drive Google: setup, realtime audio/video/text in, audio + transcriptions out, resumption
// handles, goAway, 1011, and the refusals (bad key, unknown handle, unknown model).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GoogleGenAI, type LiveServerMessage, type Session } from '@google/genai';
import { startFakeLive, type FakeLiveServer } from '../support/fake-live.ts';
import { liveConfig } from '../../lib/live/transport.ts';
import { int16ToBase64 } from '../../lib/core/live/pcm.ts';

const KEY = 'real-gemini-key-never-shown';
const MODEL = 'gemini-live-2.5-flash-preview';

interface Opened { session: Session; messages: LiveServerMessage[]; closed: Promise<{ code: number; reason: string }> }

async function open(base: string, opts: { apiKey?: string; handle?: string | null; apiVersion?: string } = {}): Promise<Opened> {
  const ai = new GoogleGenAI({ apiKey: opts.apiKey ?? KEY, httpOptions: { baseUrl: base, apiVersion: opts.apiVersion ?? 'v1beta' } });
  const messages: LiveServerMessage[] = [];
  let onClose!: (e: { code: number; reason: string }) => void;
  const closed = new Promise<{ code: number; reason: string }>((r) => { onClose = r; });
  const session = await ai.live.connect({
    model: MODEL,
    config: liveConfig({}, { handle: opts.handle ?? null, summary: null }),
    callbacks: { onmessage: (m) => messages.push(m), onclose: (e) => onClose({ code: e.code, reason: e.reason }), onerror: () => {} },
  });
  return { session, messages, closed };
}

async function waitFor<T>(fn: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

const pcm16k = (ms: number) => int16ToBase64(new Int16Array((16 * ms) | 0).fill(1000));

describe('fake Live server, driven by @google/genai', () => {
  let fake: FakeLiveServer;
  beforeAll(async () => { fake = await startFakeLive(); });
  afterAll(async () => { await fake.close(); });

  it('takes the setup, audio, video and text, and answers with 24 kHz audio, transcription, usage and a handle', async () => {
    const { session, messages } = await open(fake.url);
    const conn = fake.last!;
    expect(conn).toMatchObject({ version: 'v1beta', method: 'BidiGenerateContent', credential: KEY, credentialKind: 'key' });
    expect(conn.setup).toMatchObject({
      model: `models/${MODEL}`,
      generationConfig: { responseModalities: ['AUDIO'], mediaResolution: 'MEDIA_RESOLUTION_LOW' },
      inputAudioTranscription: {},
      outputAudioTranscription: {},
      contextWindowCompression: { slidingWindow: {} },
      sessionResumption: {},
    });
    session.sendRealtimeInput({ audio: { data: pcm16k(500), mimeType: 'audio/pcm;rate=16000' } });
    session.sendRealtimeInput({ video: { data: Buffer.from('jpeg').toString('base64'), mimeType: 'image/jpeg' } });
    session.sendRealtimeInput({ text: 'What is on screen?' });
    await waitFor(() => messages.some((m) => m.serverContent?.turnComplete));
    expect(conn.audio.map(({ mimeType, bytes }) => ({ mimeType, bytes }))).toEqual([{ mimeType: 'audio/pcm;rate=16000', bytes: 16000 }]);
    expect(conn.video).toEqual([{ mimeType: 'image/jpeg', bytes: 4 }]);
    expect(conn.texts).toEqual(['What is on screen?']);

    const audio = messages.flatMap((m) => m.serverContent?.modelTurn?.parts ?? []).map((p) => p.inlineData!);
    expect(audio.length).toBe(3);
    for (const a of audio) {
      expect(a.mimeType).toBe('audio/pcm;rate=24000');
      expect(Buffer.from(a.data!, 'base64').length).toBe(4800); // 100 ms at 24 kHz, 16-bit
    }
    const said = messages.map((m) => m.serverContent?.outputTranscription?.text ?? '').join('');
    expect(said).toBe('I heard 500 ms of audio and saw 1 frame(s). You said: What is on screen?');
    const done = messages.find((m) => m.serverContent?.turnComplete)!;
    expect(done.usageMetadata).toMatchObject({ promptTokenCount: expect.any(Number), responseTokenCount: expect.any(Number) });
    expect(done.usageMetadata!.promptTokenCount).toBeGreaterThan(258);
    const handles = messages.map((m) => m.sessionResumptionUpdate?.newHandle).filter(Boolean);
    expect(handles.length).toBe(2); // one after setup, one after the answer
    session.close();
  });

  it('resumes a session from its handle, and refuses an unknown handle with 1008', async () => {
    const first = await open(fake.url);
    const handle = await waitFor(() => first.messages.find((m) => m.sessionResumptionUpdate?.newHandle)?.sessionResumptionUpdate?.newHandle);
    first.session.close();
    const again = await open(fake.url, { handle });
    expect(fake.last!.resumedFrom).toBe(handle);
    again.session.close();
    await expect(open(fake.url, { handle: 'handle-unknown' })).rejects.toThrow(/code 1008.*Invalid session resumption handle/);
  });

  it('sends goAway with timeLeft, barge-in as interrupted, and closes with 1011 on demand', async () => {
    fake.autoAnswer = false;
    try {
      const { session, messages, closed } = await open(fake.url);
      const conn = fake.last!;
      conn.goAway(30_000);
      expect(await waitFor(() => messages.find((m) => m.goAway)?.goAway)).toEqual({ timeLeft: '30s' });
      const answering = conn.answer({ chunks: 50, delayMs: 20 });
      await waitFor(() => messages.some((m) => m.serverContent?.modelTurn));
      conn.interrupt();
      await answering;
      await waitFor(() => messages.some((m) => m.serverContent?.interrupted));
      expect(messages.some((m) => m.serverContent?.turnComplete)).toBe(false);
      conn.fail(1011);
      expect(await closed).toEqual({ code: 1011, reason: 'Internal error encountered.' });
      void session;
    } finally { fake.autoAnswer = true; }
  });

  it('refuses a wrong key and an unknown model with 1008 and the reason', async () => {
    await expect(open(fake.url, { apiKey: 'wrong' })).rejects.toThrow(/code 1008.*API key not valid/);
    fake.models = ['some-other-model'];
    try {
      await expect(open(fake.url)).rejects.toThrow(/code 1008.*not supported for bidiGenerateContent/);
    } finally { fake.models = undefined; }
  });
});
