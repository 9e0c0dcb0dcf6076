// The stand-in must look like Gemini to the official SDK, or every proxy test proves nothing.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, GoogleGenAI } from '@google/genai';
import { startFakeGemini, type FakeGemini } from '../support/fake-gemini.ts';

let fake: FakeGemini;
beforeAll(async () => { fake = await startFakeGemini(); });
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const client = (apiKey = 'real-key') =>
  new GoogleGenAI({ apiKey, httpOptions: { baseUrl: fake.url, apiVersion: 'v1beta' } });

const frame = { inlineData: { mimeType: 'image/jpeg', data: Buffer.from('jpeg bytes').toString('base64') } };

describe('fake Gemini', () => {
  it('streams an answer derived from the request, with running-total usage, to the SDK', async () => {
    const contents = [
      { role: 'user', parts: [frame, { text: 'What is this?' }] },
      { role: 'model', parts: [{ text: 'A chart.' }] },
      { role: 'user', parts: [frame, frame, { text: 'And the red line?' }] },
    ];
    const stream = await client().models.generateContentStream({ model: 'gemini-flash-latest', contents });
    const texts: string[] = [];
    const usage: number[] = [];
    for await (const chunk of stream) {
      texts.push(chunk.text ?? '');
      usage.push(chunk.usageMetadata?.candidatesTokenCount ?? -1);
    }
    expect(texts.length).toBeGreaterThanOrEqual(3);
    expect(texts.join('')).toBe('I see 3 image(s) and 1 earlier turn(s). You asked: And the red line?');
    expect(usage).toEqual([...usage].sort((a, b) => a - b));
    expect(usage.at(-1)).toBe(Math.ceil(texts.join('').length / 4));
    const rec = await fake.waitForRequest();
    expect(rec).toMatchObject({ method: 'POST', model: 'gemini-flash-latest', apiKey: 'real-key', aborted: false });
    expect(rec.path).toBe('/v1beta/models/gemini-flash-latest:streamGenerateContent?alt=sse');
  });

  it('prompt tokens count 258 per image and a quarter per text character', async () => {
    const res = await client().models.countTokens({
      model: 'gemini-flash-latest',
      contents: [{ role: 'user', parts: [frame, { text: '12345678' }] }],
    });
    expect(res.totalTokens).toBe(258 + 2);
  });

  it('scripted errors reach the SDK as ApiError with the status and details', async () => {
    fake.respond(() => ({
      status: 429,
      error: {
        message: 'Resource has been exhausted',
        status: 'RESOURCE_EXHAUSTED',
        details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '47s' }],
      },
    }));
    const err = await client().models.generateContent({ model: 'gemini-flash-latest', contents: 'hi' }).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(429);
    expect(err.message).toContain('47s');
  });

  it('a dropped stream and an error event make the SDK throw', async () => {
    fake.respond(() => ({ text: ['a', 'b', 'c'], dropAfter: 1 }));
    const drop = async () => { for await (const _ of await client().models.generateContentStream({ model: 'm', contents: 'x' })) void _; };
    await expect(drop()).rejects.toThrow();
    fake.respond(() => ({ text: ['a', 'b', 'c'], errorEventAfter: 2 }));
    await expect(drop()).rejects.toMatchObject({ status: 500 });
  });

  it('marks a request aborted when the client leaves mid-stream', async () => {
    fake.respond(() => ({ text: Array(50).fill('x'), delayMs: 20 }));
    const controller = new AbortController();
    const stream = await client().models.generateContentStream({
      model: 'm', contents: 'x', config: { abortSignal: controller.signal },
    });
    for await (const _ of stream) { void _; controller.abort(); break; }
    const rec = await fake.waitForRequest();
    await expect.poll(() => rec.aborted).toBe(true);
  });
});
