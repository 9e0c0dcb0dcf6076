// The Live relay on the local Workers runtime (workerd via Miniflare, the `wrangler deploy --dry-run`
// bundle): the official SDK through the Worker to the stand-in Live server, the real key swapped in,
// a bad token refused with 1008, an upstream 1011 passed on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GoogleGenAI, type LiveServerMessage } from '@google/genai';
import { bundleWorker, startWorker } from './workers-runtime.ts';
import { startFakeLive, type FakeLiveServer } from '../support/fake-live.ts';
import { liveConfig } from '../../lib/live/transport.ts';

const REAL_KEY = 'real-gemini-key-never-shown';
const TOKEN = 'client-token-1';
const MODEL = 'gemini-live-2.5-flash-preview';

function connect(base: string, apiKey = TOKEN) {
  const ai = new GoogleGenAI({ apiKey, httpOptions: { baseUrl: base, apiVersion: 'v1beta' } });
  const messages: LiveServerMessage[] = [];
  let onClose!: (e: { code: number; reason: string }) => void;
  const closed = new Promise<{ code: number; reason: string }>((r) => { onClose = r; });
  const session = ai.live.connect({
    model: MODEL,
    config: liveConfig({}, { handle: null, summary: null }),
    callbacks: { onmessage: (m) => messages.push(m), onclose: (e) => onClose({ code: e.code, reason: e.reason }), onerror: () => {} },
  });
  return { session, messages, closed };
}

describe('Live relay on the Workers runtime', () => {
  let fake: FakeLiveServer;
  let worker: { url: string; close(): Promise<void> };
  beforeAll(async () => {
    fake = await startFakeLive();
    worker = await startWorker(bundleWorker(), {
      GEMINI_API_KEY: REAL_KEY, PROXY_TOKENS: TOKEN, GEMINI_BASE_URL: fake.url, PROXY_RPM: '1000', PROXY_LOG: 'off',
    });
  }, 120_000);
  afterAll(async () => { await worker?.close(); await fake?.close(); });

  it('relays a conversation with the real key, and passes on an upstream 1011', async () => {
    const before = fake.connections.length;
    const { session, messages, closed } = connect(worker.url);
    const s = await session;
    const conn = await fake.connection(before + 1);
    expect(conn).toMatchObject({ credential: REAL_KEY, credentialKind: 'key' });
    s.sendRealtimeInput({ text: 'Hello from a Worker?' });
    await expect.poll(() => messages.some((m) => m.serverContent?.turnComplete)).toBe(true);
    const said = messages.map((m) => m.serverContent?.outputTranscription?.text ?? '').join('');
    expect(said).toBe('I heard 0 ms of audio and saw 0 frame(s). You said: Hello from a Worker?');
    expect(JSON.stringify(messages)).not.toContain(REAL_KEY);
    conn.fail(1011, 'Internal error encountered.');
    expect(await closed).toEqual({ code: 1011, reason: 'Internal error encountered.' });
  });

  it('refuses a bad access token with 1008 and a sentence', async () => {
    await expect(connect(worker.url, 'nope').session).rejects.toThrow(/code 1008\): This proxy access token is not valid/);
  });
});
