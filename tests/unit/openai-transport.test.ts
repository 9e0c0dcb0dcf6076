/**
 * The OpenAI-compatible backend against the stand-in server (tests/support/fake-openai.ts): the request mapping,
 * streaming, usage, a cut answer, Ollama's 403, text-only models. The official `openai` SDK drives the stand-in
 * too, so the stand-in (and with it this client) speaks the real wire format.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import type { Content } from '@google/genai';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai.ts';
import { solidJpegBase64 } from '../support/images.ts';
import { IMAGE_LEFT_OUT, toChatMessages } from '../../lib/transport/openai-request.ts';
import {
  chatBackendError, detectOllama, listChatModels, ollamaBaseUrl, ollamaVision, OLLAMA_ORIGINS_FIX, streamChatCompletion,
} from '../../lib/transport/openai.ts';

let fake: FakeOpenAi;
beforeAll(async () => (fake = await startFakeOpenAi()));
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
  fake.refuse = 'none';
  fake.maxChars = undefined;
});

const red = solidJpegBase64(64, 48, [220, 20, 20]);
const contents: Content[] = [
  { role: 'user', parts: [{ text: 'Frame 0:05' }, { inlineData: { mimeType: 'image/jpeg', data: red } }, { text: 'What colour is the tab?' }] },
];

describe('Gemini contents → chat messages', () => {
  it('keeps the order of text and images, drops thoughts, never sends an empty model turn', () => {
    const messages = toChatMessages(
      [
        ...contents,
        { role: 'model', parts: [{ text: 'thinking…', thought: true }] },
        { role: 'model', parts: [{ text: 'Red.' }] },
        { role: 'user', parts: [{ text: 'Sure?' }] },
      ],
      'Be brief.',
      { vision: true },
    );
    expect(messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(messages[1]!.content).toEqual([
      { type: 'text', text: 'Frame 0:05' },
      { type: 'image_url', image_url: { url: `data:image/jpeg;base64,${red}` } },
      { type: 'text', text: 'What colour is the tab?' },
    ]);
    expect(messages[2]!.content).toBe('Red.');
    expect(messages[3]!.content).toBe('Sure?');
  });

  it('gives a text-only model the screen text (OCR) or says a picture was left out', () => {
    expect(toChatMessages(contents, undefined, { vision: false })[0]!.content).toBe(`Frame 0:05\n${IMAGE_LEFT_OUT}\nWhat colour is the tab?`);
    const withOcr = toChatMessages(contents, undefined, { vision: false, ocrText: () => 'Total: 42' })[0]!.content as string;
    expect(withOcr).toContain('Text read from the shared screen (OCR)');
    expect(withOcr).toContain('Total: 42');
  });
});

describe('the stand-in speaks what the official SDK expects', () => {
  it('streams chunks and usage the SDK reads, and lists models', async () => {
    const client = new OpenAI({ baseURL: `${fake.url}/v1`, apiKey: 'k', maxRetries: 0 });
    const stream = await client.chat.completions.create({
      model: 'llava:7b', stream: true, stream_options: { include_usage: true },
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Colour?' }, { type: 'image_url', image_url: { url: `data:image/jpeg;base64,${red}` } }] }],
    });
    let text = '';
    let usage: number | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      usage = chunk.usage?.completion_tokens ?? usage;
    }
    expect(text).toBe('1 image: red. Question: Colour?');
    expect(usage).toBe(text.length);
    const ids: string[] = [];
    for await (const m of client.models.list()) ids.push(m.id);
    expect(ids.sort()).toEqual(['llama3.2:3b', 'llava:7b']);
  });
});

describe('streamChatCompletion', () => {
  const base = () => ({ baseUrl: `${fake.url}/v1`, model: 'llava:7b', contents, vision: true });

  it('streams the answer about the picture it was sent, with usage', async () => {
    const deltas: string[] = [];
    const result = await streamChatCompletion({ ...base(), systemInstruction: 'Be brief.', onDelta: (d) => deltas.push(d) });
    expect(result.text).toBe('1 image: red. Question: What colour is the tab?');
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.join('')).toBe(result.text);
    expect(result.finishReason).toBe('stop');
    expect(result.usage).toEqual({ promptTokens: 100, answerTokens: result.text.length });
    expect(fake.requests[0]!.body.messages[0]).toEqual({ role: 'system', content: 'Be brief.' });
    expect(fake.requests[0]!.headers.authorization).toBeUndefined(); // a local server needs no key: none is sent
    await streamChatCompletion({ ...base(), apiKey: 'sk-test', onDelta: () => {} });
    expect(fake.requests[1]!.headers.authorization).toBe('Bearer sk-test');
  });

  it('reports an answer cut at the length limit', async () => {
    fake.maxChars = 10;
    const result = await streamChatCompletion({ ...base(), onDelta: () => {} });
    expect(result.finishReason).toBe('length');
    expect(result.text).toHaveLength(10);
  });

  it('lists the server models, and Ollama says which can see', async () => {
    expect(await listChatModels(`${fake.url}/v1`)).toEqual(['llama3.2:3b', 'llava:7b']);
    expect(await ollamaVision(fake.url, 'llava:7b')).toBe(true);
    expect(await ollamaVision(fake.url, 'llama3.2:3b')).toBe(false);
    expect(await ollamaVision(fake.url, 'nope')).toBeUndefined();
    expect(ollamaBaseUrl(fake.url)).toBe(`${fake.url}/v1`);
  });

  it("recognises Ollama's 403 to an extension and gives the exact fix", async () => {
    fake.refuse = 'all';
    expect(await detectOllama(fake.url)).toBe('refused');
    const err = await streamChatCompletion({ ...base(), onDelta: () => {} }).catch((e: unknown) => e);
    expect(chatBackendError(err, { baseUrl: `${fake.url}/v1`, model: 'llava:7b', ollama: true })).toEqual({
      kind: 'forbidden',
      message: OLLAMA_ORIGINS_FIX,
      action: 'open-settings',
    });
    fake.refuse = 'none';
    expect(await detectOllama(fake.url)).toBe('ready');
    expect(await detectOllama('http://127.0.0.1:9')).toBe('absent');
  });

  it('words every failure as a sentence with its action, never a raw body', async () => {
    const missing = await streamChatCompletion({ ...base(), model: 'nope', onDelta: () => {} }).catch((e: unknown) => e);
    expect(chatBackendError(missing, { baseUrl: fake.url, model: 'nope', ollama: true })).toMatchObject({
      message: 'The model server has no model “nope”. Choose one it lists in Settings.',
      action: 'open-settings',
    });
    const down = await streamChatCompletion({ ...base(), baseUrl: 'http://127.0.0.1:9/v1', onDelta: () => {} }).catch((e: unknown) => e);
    expect(chatBackendError(down, { baseUrl: 'http://127.0.0.1:9/v1', model: 'm', ollama: false }).message).toMatch(/^Cannot reach the model server/);
  });
});

describe('the sentence for Ollama refusing the extension', () => {
  it('names OLLAMA_ORIGINS with values that cover both browsers', () => {
    expect(OLLAMA_ORIGINS_FIX).toContain("OLLAMA_ORIGINS='chrome-extension://*,moz-extension://*' ollama serve");
  });
});
