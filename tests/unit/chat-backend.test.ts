/**
 * The conversation on an OpenAI-compatible server (Settings → backend 'openai'): the same manager, history and
 * sentences as with Gemini; the stand-in server (tests/support/fake-openai.ts) sees the shared frame, a
 * text-only model gets none and the turn says so, a cut answer says it was cut, failures are sentences.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai.ts';
import { FakeModel, makeManager, MemoryStores, payload } from '../support/manager-fakes.ts';
import { solidJpegBase64 } from '../support/images.ts';
import { normalizeSettings } from '../../lib/core/settings.ts';
import { streamViaChat } from '../../lib/transport/chat-backend.ts';
import { clearScreenTexts, MAX_OCR_IMAGES, newestImages, readScreenTexts, type ReadText } from '../../lib/transport/ocr-text.ts';
import { IMAGE_LEFT_OUT } from '../../lib/transport/openai-request.ts';

let fake: FakeOpenAi;
beforeAll(async () => (fake = await startFakeOpenAi()));
afterAll(() => fake.close());
beforeEach(() => {
  clearScreenTexts();
  fake.requests.length = 0;
  fake.refuse = 'none';
  fake.maxChars = undefined;
});

/** A manager sharing a red tab, answered by the stand-in server as `model` (vision per Settings). */
async function sharingRedTab(model: string, vision: 'auto' | 'yes' | 'no' = 'yes', ocr?: ReadText) {
  const stores = new MemoryStores();
  stores.settings = normalizeSettings({ backend: 'openai', chatBaseUrl: `${fake.url}/v1`, chatModel: model, chatVision: vision });
  const chat = new FakeModel();
  chat.call = (req) => streamViaChat({ ...req, chat: req.chat!, ...(ocr ? { ocr } : {}) });
  const built = makeManager(stores, undefined, chat);
  const red = solidJpegBase64(64, 48, [220, 20, 20]);
  built.capture.nextGrab = () => ({ ...payload('red', Date.now()), data: red });
  await built.manager.ready();
  await built.manager.handle({ type: 'share', source: 'tab' });
  return built;
}

describe('an OpenAI-compatible backend', () => {
  it('answers about the shared frame, through the same conversation', async () => {
    const { manager, lastState } = await sharingRedTab('llava:7b');
    await manager.handle({ type: 'ask', text: 'What colour is the tab?' });
    const turn = lastState()!.session.turns[0]!;
    expect(turn).toMatchObject({ status: 'done', answer: '1 image: red. Question: What colour is the tab?' });
    expect(turn.textOnly).toBeUndefined();
    expect(turn.usage?.promptTokens).toBe(100);
    await manager.handle({ type: 'ask', text: 'Still?' });
    const second = fake.requests.at(-1)!.body.messages;
    expect(second.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
  });

  it('sends a text-only model no picture, and the turn says so', async () => {
    const { manager, lastState } = await sharingRedTab('llava:7b', 'no');
    await manager.handle({ type: 'ask', text: 'What colour is the tab?' });
    const turn = lastState()!.session.turns[0]!;
    expect(turn.answer).toMatch(/^0 images\./);
    expect(turn.textOnly).toBe(true);
    expect(JSON.stringify(fake.requests[0]!.body)).not.toContain('image_url');
  });

  it("asks Ollama's model info whether the model can see ('auto')", async () => {
    // The stand-in is not on Ollama's port, so 'auto' assumes a model that sees; the info call is tested in openai-transport.
    const { manager, lastState } = await sharingRedTab('llava:7b', 'auto');
    await manager.handle({ type: 'ask', text: 'What colour?' });
    expect(lastState()!.session.turns[0]!.answer).toMatch(/^1 image: red/);
  });

  it('says the answer was cut at the length limit and keeps what arrived', async () => {
    fake.maxChars = 12;
    const { manager, lastState } = await sharingRedTab('llava:7b');
    await manager.handle({ type: 'ask', text: 'Tell me everything' });
    const turn = lastState()!.session.turns[0]!;
    expect(turn.answer).toBe('1 image: red');
    expect(turn.ending).toMatchObject({ kind: 'cut-short', incomplete: true });
  });

  it('a refusing server, a missing model, a stopped server: a sentence and an action each, and the next question works', async () => {
    const { manager, lastState, stores } = await sharingRedTab('no-such-model');
    await manager.handle({ type: 'ask', text: 'Hello?' });
    expect(lastState()!.session.turns[0]!.error).toMatchObject({ message: 'The model server has no model “no-such-model”. Choose one it lists in Settings.', action: 'open-settings' });

    stores.settings = { ...stores.settings, chatModel: 'llava:7b', chatBaseUrl: 'http://127.0.0.1:9/v1' };
    await manager.handle({ type: 'ask', text: 'Now?' });
    expect(lastState()!.session.turns[1]!.error?.message).toMatch(/^Cannot reach the model server at http:\/\/127\.0\.0\.1:9\/v1/);

    stores.settings = { ...stores.settings, chatBaseUrl: `${fake.url}/v1` };
    await manager.handle({ type: 'ask', text: 'And now?' });
    expect(lastState()!.session.turns[2]).toMatchObject({ status: 'done' });
  });

  it("sends a text-only model the question's picture as the text OCR read, and the turn names the model", async () => {
    const reads: string[] = [];
    const ocr: ReadText = async (jpeg) => {
      reads.push(jpeg);
      return 'INVOICE 4217\nTOTAL DUE';
    };
    const { manager, lastState } = await sharingRedTab('llama3.2:3b', 'no', ocr);
    await manager.handle({ type: 'ask', text: 'What does it say?' });
    const turn = lastState()!.session.turns[0]!;
    expect(turn).toMatchObject({ status: 'done', textOnly: true, ocrModel: 'llama3.2:3b' });
    const body = JSON.stringify(fake.requests[0]!.body);
    expect(body).not.toContain('image_url');
    expect(body).toContain('[Text read from the shared screen (OCR), since this model cannot see pictures:]\\nINVOICE 4217\\nTOTAL DUE');
    expect(reads).toHaveLength(1);
    // The same picture again (the tab did not change): read once, its text reused for the whole conversation.
    await manager.handle({ type: 'ask', text: 'And the total?' });
    expect(reads).toHaveLength(1);
    expect(JSON.stringify(fake.requests[1]!.body).match(/INVOICE 4217/g)).toHaveLength(2);
  });

  it('falls back to the left-out note when OCR fails or reads nothing, and then names no OCR', async () => {
    const { manager, lastState } = await sharingRedTab('llama3.2:3b', 'no', () => Promise.reject(new Error('no Worker here')));
    await manager.handle({ type: 'ask', text: 'What does it say?' });
    const turn = lastState()!.session.turns[0]!;
    expect(turn).toMatchObject({ status: 'done', textOnly: true });
    expect(turn.ocrModel).toBeUndefined();
    expect(JSON.stringify(fake.requests[0]!.body)).toContain(IMAGE_LEFT_OUT);
    clearScreenTexts();
    const empty = await readScreenTexts([{ role: 'user', parts: [{ inlineData: { mimeType: 'image/jpeg', data: 'AAAA' } }] }], async () => '');
    expect(empty.read).toBe(0);
    expect(empty.lookup('AAAA')).toBeUndefined();
  });

  it('never calls OCR for a model that sees pictures', async () => {
    let calls = 0;
    const { manager } = await sharingRedTab('llava:7b', 'yes', async () => {
      calls++;
      return 'text';
    });
    await manager.handle({ type: 'ask', text: 'What colour?' });
    expect(calls).toBe(0);
    expect(JSON.stringify(fake.requests[0]!.body)).toContain('image_url');
  });

  it("reads only the newest question's images, at most MAX_OCR_IMAGES", () => {
    const image = (data: string) => ({ inlineData: { mimeType: 'image/jpeg', data } });
    const contents = [
      { role: 'user', parts: [image('old'), { text: 'first?' }] },
      { role: 'model', parts: [{ text: 'answer' }] },
      { role: 'user', parts: [image('a'), image('b'), image('c'), { text: 'now?' }] },
    ];
    expect(newestImages(contents)).toEqual(['b', 'c'].slice(-MAX_OCR_IMAGES));
    expect(newestImages([])).toEqual([]);
  });
});
