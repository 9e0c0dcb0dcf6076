// Issue 14 through the REAL proxy with the real transport (the official SDK) and the stand-in Gemini: the model
// calls look_closer (a functionCall part with a thoughtSignature, as Gemini 3 sends it) and gets a larger frame
// back; it marks a place with point_at and the turn ends with the box; a region question and the tab's sound
// arrive as Gemini would read them.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStack, TEST_TOKEN, type Stack } from '../support/stack.ts';
import { FakeModel, makeManager, MemoryStores } from '../support/manager-fakes.ts';
import { normalizeSettings } from '../../lib/core/settings.ts';
import { generateText, streamAnswer } from '../../lib/transport/gemini.ts';
import { averageColor, solidJpegBase64 } from '../support/images.ts';
import { wavClipOf, bytesOfBase64 } from '../../lib/core/audio/clip.ts';
import { wavInfo } from '../../lib/core/audio/wav.ts';
import type { RecordedRequest } from '../support/fake-gemini.ts';
import type { FramePayload } from '../../lib/protocol/messages.ts';
import { CLOSER_GRAB } from '../../lib/conversation/manager.ts';

interface Part { text?: string; inlineData?: { mimeType: string; data: string }; functionCall?: { name: string; args?: unknown }; functionResponse?: { name: string; response: Record<string, unknown> }; thoughtSignature?: string; mediaResolution?: unknown }
interface Body { contents: Array<{ role: string; parts: Part[] }>; tools?: Array<{ functionDeclarations: Array<{ name: string }> }>; toolConfig?: { functionCallingConfig: { mode: string } } }

let stack: Stack;
beforeAll(async () => { stack = await startStack(); });
afterAll(async () => { await stack?.close(); });
beforeEach(() => stack.gemini.reset());

const generate = (r: RecordedRequest) => r.action === 'streamGenerateContent';
const bodies = () => stack.gemini.requests.filter(generate).map((r) => r.body as Body);

/** One streamed event with the model's parts, as Gemini sends a function call. */
const event = (parts: Part[], finishReason = 'STOP') => ({
  candidates: [{ content: { role: 'model', parts }, finishReason, index: 0 }],
  usageMetadata: { promptTokenCount: 300, candidatesTokenCount: 5, totalTokenCount: 305 },
});

function manager() {
  const stores = new MemoryStores();
  stores.settings = normalizeSettings({ proxyUrl: stack.proxy.url, accessToken: TEST_TOKEN, model: 'gemini-3-flash-preview' });
  const model = new FakeModel();
  model.call = (req) => streamAnswer(req);
  model.summarize = (req) => generateText(req);
  return makeManager(stores, undefined, model);
}

const frame = (width: number, height: number, rgb: [number, number, number], at: number): FramePayload =>
  ({ capturedAt: at, width, height, data: solidJpegBase64(width, height, rgb), meanLuma: 100, encodeMs: 1, changed: true });

describe('function calling through the real proxy', () => {
  it('the model calls look_closer and gets a larger frame; its call goes back verbatim with the signature', async () => {
    const t = manager();
    t.capture.grab = async (opts) => {
      t.capture.grabOptions.push(opts ?? {});
      return opts?.maxSide === CLOSER_GRAB.maxSide ? frame(1536, 864, [0, 0, 220], t.at()) : frame(768, 432, [220, 0, 0], t.at());
    };
    let round = 0;
    stack.gemini.respond((req) => {
      if (!generate(req)) return { text: ['ok'] };
      if (round++ === 0) return { replay: { events: [event([{ functionCall: { name: 'look_closer', args: {} }, thoughtSignature: 'c2lnbmF0dXJl' }])] } };
      return { text: ['The small print says 42.', '\nSCENE: a blue page'] };
    });
    await t.manager.ready();
    await t.manager.handle({ type: 'share', source: 'tab' });
    await t.manager.handle({ type: 'ask', text: 'What does the small print say?' });

    const [first, second] = bodies();
    expect(first!.tools![0]!.functionDeclarations.map((d) => d.name)).toEqual(['look_closer', 'read_page']);
    expect(first!.toolConfig).toEqual({ functionCallingConfig: { mode: 'AUTO' } });
    const sent = first!.contents.at(-1)!.parts.filter((p) => p.inlineData).map((p) => averageColor(p.inlineData!.data));
    expect(sent.map((c) => [c.width, c.height])).toEqual([[768, 432]]);
    expect(second!.contents.at(-2)).toEqual({ role: 'model', parts: [{ functionCall: { name: 'look_closer', args: {} }, thoughtSignature: 'c2lnbmF0dXJl' }] });
    const reply = second!.contents.at(-1)!;
    expect(reply.role).toBe('user');
    expect(reply.parts[0]!.functionResponse).toEqual({ name: 'look_closer', response: { output: 'A sharper picture of the whole screen (1536x864 px) follows.' } });
    const closer = averageColor(reply.parts.find((p) => p.inlineData)!.inlineData!.data);
    expect([closer.width, closer.height]).toEqual([1536, 864]);
    expect(closer.b).toBeGreaterThan(180);
    const turn = t.lastState()!.session.turns[0]!;
    expect(turn).toMatchObject({ status: 'done', answer: 'The small print says 42.', toolCalls: [{ name: 'look_closer', ok: true }] });
    expect(turn.ending).toBeUndefined();
  });

  it('point_at with an answer: the turn ends with the box on the question frame, and one request was enough', async () => {
    const t = manager();
    stack.gemini.respond(() => ({
      replay: {
        events: [
          event([{ text: 'The Export button is at the top right.\nSCENE: a toolbar' }], undefined as never),
          event([{ functionCall: { name: 'point_at', args: { label: 'Export', box_2d: [20, 880, 70, 980] } }, thoughtSignature: 'c2ln' }]),
        ],
      },
    }));
    await t.manager.ready();
    await t.manager.handle({ type: 'share', source: 'tab' });
    await t.manager.handle({ type: 'ask', text: 'Where is the export button?' });
    expect(bodies()).toHaveLength(1);
    const turn = t.lastState()!.session.turns[0]!;
    expect(turn).toMatchObject({ status: 'done', answer: 'The Export button is at the top right.', boxesFrameId: turn.frameId });
    expect(turn.boxes).toEqual([{ label: 'Export', box: { x: 0.88, y: 0.02, w: 0.1, h: 0.05 } }]);
  });

  it('a region question and the tab\'s sound reach Gemini in order: crop (ULTRA_HIGH), whole frame, sound, question', async () => {
    const t = manager();
    t.capture.hears = true;
    t.capture.soundClip = wavClipOf(new Float32Array(16_000 * 60), 16_000);
    t.capture.nextCrop = (opts) => ({ ...frame(600, 400, [0, 200, 0], t.at()), region: opts.crop });
    t.capture.nextGrab = () => frame(768, 432, [220, 0, 0], t.at());
    await t.manager.ready();
    await t.manager.handle({ type: 'share', source: 'tab' });
    await t.manager.handle({ type: 'ask', text: 'What did she say about this?', region: { x: 0.5, y: 0.5, w: 0.25, h: 0.25 } });
    const parts = bodies()[0]!.contents.at(-1)!.parts;
    const kinds = parts.map((p) => (p.inlineData ? p.inlineData.mimeType : p.text!.slice(0, 24)));
    const crop = kinds.indexOf('image/jpeg');
    expect(kinds.slice(crop - 1)).toEqual([
      '[The region the person p',
      'image/jpeg',
      '[Frame captured at 0:00 ',
      'image/jpeg',
      "[The shared tab's sound:",
      'audio/wav',
      'Question (asked at 0:00)',
      '(The person pointed at a',
    ]);
    expect(parts[crop]!.mediaResolution).toEqual({ level: 'MEDIA_RESOLUTION_ULTRA_HIGH' });
    expect(averageColor(parts[crop]!.inlineData!.data).g).toBeGreaterThan(150);
    expect(wavInfo(bytesOfBase64(parts.find((p) => p.inlineData?.mimeType === 'audio/wav')!.inlineData!.data))!.durationMs).toBe(60_000);
  });
});
