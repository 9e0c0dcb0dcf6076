/** Issue 14 at the manager level: point and ask, answers that point back, hear the tab, scenes. */
import { describe, expect, it } from 'vitest';
import type { Part } from '@google/genai';
import { makeManager, payload, type FakeModel } from '../support/manager-fakes.ts';
import { REGION_GRAB, QUESTION_GRAB } from '../../lib/conversation/manager.ts';
import { AudioRing } from '../../lib/core/audio/ring.ts';
import { bytesOfBase64, clipOf, wavClipOf } from '../../lib/core/audio/clip.ts';
import { webmInfo } from '../../lib/core/audio/webm.ts';
import { wavInfo } from '../../lib/core/audio/wav.ts';
import type { StreamRequest, StreamResult } from '../../lib/transport/gemini.ts';
import type { PanelEvent } from '../../lib/protocol/messages.ts';
import { webmRecording } from '../support/webm.ts';

type T = ReturnType<typeof makeManager>;
const lastUser = (t: T, i = t.model.requests.length - 1) => t.model.requests[i]!.contents.at(-1)!.parts!;
/** A part as a short string: its text, or the tag its image data carries. */
const show = (p: Part) => p.text ?? (p.inlineData ? `<${p.inlineData.mimeType}:${Buffer.from(p.inlineData.data!, 'base64').toString().slice(0, 20)}>` : p.functionResponse ? `<response ${p.functionResponse.name}>` : '?');
const POINTED = { x: 0.5, y: 0.25, w: 0.25, h: 0.25 };

async function sharing(t: T) {
  await t.manager.handle({ type: 'share', source: 'tab' });
}

/** A model turn asking for functions, as the transport returns it. */
function calling(...calls: Array<{ name: string; args?: Record<string, unknown> }>): StreamResult {
  return {
    text: '',
    usage: { promptTokens: 50, answerTokens: 2 },
    functionCalls: calls.map((c) => ({ name: c.name, args: c.args ?? {} })),
    modelParts: calls.map((c, k) => ({ functionCall: { name: c.name, args: c.args ?? {} }, ...(k === 0 ? { thoughtSignature: 'sig-1' } : {}) })),
  };
}

/** The model answers each call in turn from `replies`, then plainly. */
function script(model: FakeModel, ...replies: Array<StreamResult | ((req: StreamRequest) => StreamResult)>) {
  let n = 0;
  model.script = async (req) => {
    const next = replies[n++];
    const res = typeof next === 'function' ? next(req) : next ?? { text: 'Done.\nSCENE: a page', usage: { promptTokens: 10, answerTokens: 2 } };
    if (res.text) req.onDelta(res.text);
    return res;
  };
}

describe('point and ask', () => {
  it('sends the crop of the region at full resolution, then the whole frame, then the question, each labelled', async () => {
    const t = makeManager();
    await sharing(t);
    t.capture.nextGrab = () => payload('whole-frame', t.at());
    await t.manager.handle({ type: 'ask', text: 'What does this say?', region: POINTED });
    expect(t.capture.grabOptions).toEqual([QUESTION_GRAB, { ...REGION_GRAB, crop: POINTED }]);
    const parts = lastUser(t).map(show);
    const crop = parts.findIndex((p) => p.startsWith('<image/jpeg:crop-'));
    const whole = parts.indexOf('<image/jpeg:whole-frame>');
    const question = parts.findIndex((p) => p.includes('What does this say?'));
    expect(crop).toBeGreaterThan(0);
    expect(parts[crop - 1]).toBe('[The region the person pointed at (left 50%, top 25%, 25% wide, 25% high of the frame below), at full resolution, 600x400 px]');
    expect(whole).toBeGreaterThan(crop);
    expect(parts[whole - 1]).toMatch(/^\[Frame captured at .* \(when this question was asked\), tab\]$/);
    expect(question).toBeGreaterThan(whole);
    expect(parts.at(-1)).toMatch(/pointed at a region.*close-up crop above.*whole screen/);
    // The crop is asked for at the most detail Gemini 3 offers.
    expect(lastUser(t).find((p) => p.inlineData && show(p).includes('crop'))!.mediaResolution).toEqual({ level: 'MEDIA_RESOLUTION_ULTRA_HIGH' });
  });

  it('the turn records the crop, and the crop is never sent again as a scene', async () => {
    const t = makeManager();
    await sharing(t);
    await t.manager.handle({ type: 'ask', text: 'Read this', region: POINTED });
    const turn = t.lastState()!.session.turns[0]!;
    expect(turn.region).toEqual({ area: POINTED, frameId: expect.any(String) });
    const crop = t.stores.session!.frames.find((f) => f.id === turn.region!.frameId)!;
    expect(crop).toMatchObject({ reason: 'region', width: 600, height: 400 });
    await t.manager.handle({ type: 'ask', text: 'And now?' });
    expect(lastUser(t).map(show).some((p) => p.includes('crop-'))).toBe(false);
    // The log can show the crop: the panel asks for its picture.
    await t.manager.handle({ type: 'get-frame', frameId: turn.region!.frameId! });
    const frame = t.events.findLast((e): e is Extract<PanelEvent, { type: 'frame' }> => e.type === 'frame')!;
    expect(frame).toMatchObject({ frameId: turn.region!.frameId, width: 600, height: 400, dataUrl: expect.stringMatching(/^data:image\/jpeg;base64,/) });
  });

  it('the whole frame goes as a picture even when the screen has not changed since the last question', async () => {
    const t = makeManager();
    await sharing(t);
    t.capture.nextGrab = () => payload('same-screen', t.at(), 120, false);
    await t.manager.handle({ type: 'ask', text: 'First' });
    await t.manager.handle({ type: 'ask', text: 'And this bit?', region: POINTED });
    const parts = lastUser(t).map(show);
    const crop = parts.findIndex((p) => p.startsWith('<image/jpeg:crop-'));
    expect(parts.slice(crop + 1, crop + 3)).toEqual([expect.stringMatching(/^\[Frame captured at .*when this question was asked/), '<image/jpeg:same-screen>']);
  });

  it('a point (a click) is grown by the capture; nonsense regions are ignored', async () => {
    const t = makeManager();
    await sharing(t);
    await t.manager.handle({ type: 'ask', text: 'q1', region: { x: 0.3, y: 0.3, w: 0, h: 0 } });
    expect(t.capture.grabOptions[1]).toMatchObject({ crop: { x: 0.3, y: 0.3, w: 0, h: 0 } });
    await t.manager.handle({ type: 'ask', text: 'q2', region: { x: 'a', y: 0, w: 1, h: 1 } as never });
    expect(t.capture.grabOptions.slice(2)).toEqual([QUESTION_GRAB]);
  });
});

describe('answers that point back', () => {
  it('a question about a place offers point_at; the turn ends with its boxes on the question frame', async () => {
    const t = makeManager();
    await sharing(t);
    script(t.model, {
      ...calling({ name: 'point_at', args: { label: 'Export button', box_2d: [10, 900, 60, 990] } }, { name: 'point_at', args: { label: 'bad', box_2d: [10, 900, 60, 1990] } }),
      text: 'The Export button is top right.\nSCENE: a toolbar',
    });
    await t.manager.handle({ type: 'ask', text: 'Where is the export button?' });
    const first = t.model.requests[0]!;
    expect(first.tools!.declarations.map((d) => d.name)).toContain('point_at');
    expect(lastUser(t, 0).at(-1)!.text).toMatch(/call point_at/);
    const turn = t.lastState()!.session.turns[0]!;
    expect(turn).toMatchObject({ status: 'done', answer: 'The Export button is top right.', boxesFrameId: turn.frameId });
    expect(turn.boxes).toEqual([{ label: 'Export button', box: { x: 0.9, y: 0.01, w: 0.09, h: 0.05 } }]);
    expect(turn.toolCalls!.map((c) => [c.name, c.ok])).toEqual([['point_at', true], ['point_at', false]]);
    // Boxes beside an answer already written need no second round.
    expect(t.model.requests).toHaveLength(1);
  });

  it('point_at alone: the model gets its responses and writes the answer in the next round', async () => {
    const t = makeManager();
    await sharing(t);
    script(t.model, calling({ name: 'point_at', args: { label: 'Line 12', box_2d: [400, 0, 430, 1000] } }));
    await t.manager.handle({ type: 'ask', text: 'Which line has the error?' });
    expect(t.model.requests).toHaveLength(2);
    const second = t.model.requests[1]!.contents;
    expect(second.at(-2)).toEqual({ role: 'model', parts: [{ functionCall: { name: 'point_at', args: { label: 'Line 12', box_2d: [400, 0, 430, 1000] } }, thoughtSignature: 'sig-1' }] });
    expect(second.at(-1)!.parts![0]).toEqual({ functionResponse: { name: 'point_at', response: { output: 'Marked on the screen for the person.' } } });
    expect(t.lastState()!.session.turns[0]!.boxes).toHaveLength(1);
  });

  it('no boxes unless asked: other questions get no point_at, and the toggle wins', async () => {
    const t = makeManager();
    await sharing(t);
    await t.manager.handle({ type: 'ask', text: 'What is this chart?' });
    expect(t.model.requests[0]!.tools!.declarations.map((d) => d.name)).not.toContain('point_at');
    await t.manager.handle({ type: 'ask', text: 'What is this chart?', pointBack: true });
    expect(t.model.requests[1]!.tools!.declarations.map((d) => d.name)).toContain('point_at');
    await t.manager.handle({ type: 'ask', text: 'Where is the menu?', pointBack: false });
    expect(t.model.requests[2]!.tools!.declarations.map((d) => d.name)).not.toContain('point_at');
  });
});

describe('hear the tab', () => {
  function recording(seconds: number) {
    const ring = new AudioRing();
    ring.push(webmRecording(seconds));
    return clipOf(ring.window()!);
  }

  it('a question about speech carries the last 60 s of the tab\'s sound, and the turn says so', async () => {
    const t = makeManager();
    t.capture.hears = true;
    t.capture.soundClip = recording(75);
    await sharing(t);
    expect(t.lastState()!.sharing).toMatchObject({ status: 'on', sound: true });
    await t.manager.handle({ type: 'ask', text: 'What did he just say?' });
    expect(t.capture.grabOptions).toEqual([{ ...QUESTION_GRAB, withSound: true }]);
    const parts = lastUser(t);
    const audio = parts.find((p) => p.inlineData?.mimeType === 'audio/webm')!;
    const info = webmInfo(bytesOfBase64(audio.inlineData!.data!));
    expect(info).toMatchObject({ docType: 'webm', codec: 'A_OPUS' });
    expect(info.durationMs).toBeGreaterThanOrEqual(59_000);
    expect(info.durationMs).toBeLessThanOrEqual(60_000);
    expect(parts.map(show)).toContainEqual(expect.stringMatching(/^\[The shared tab's sound: the last 60 s before this question, as audio\]$/));
    expect(t.lastState()!.session.turns[0]!.sound).toEqual({ durationMs: info.durationMs, bytes: expect.any(Number) });
    // The sound is not kept with the conversation.
    expect(JSON.stringify(t.stores.session)).not.toContain(audio.inlineData!.data!.slice(0, 40));
  });

  it('a WAV clip reaches the model with its length; the toggle sends sound with any question, or none', async () => {
    const t = makeManager();
    t.capture.hears = true;
    t.capture.soundClip = wavClipOf(new Float32Array(16_000 * 60), 16_000);
    await sharing(t);
    await t.manager.handle({ type: 'ask', text: 'What is on screen?', withSound: true });
    const wav = lastUser(t).find((p) => p.inlineData?.mimeType === 'audio/wav')!;
    expect(wavInfo(bytesOfBase64(wav.inlineData!.data!))).toEqual({ channels: 1, sampleRate: 16_000, bitsPerSample: 16, durationMs: 60_000 });
    await t.manager.handle({ type: 'ask', text: 'Summarise the call', withSound: false });
    expect(lastUser(t).some((p) => p.inlineData?.mimeType?.startsWith('audio/'))).toBe(false);
    await t.manager.handle({ type: 'ask', text: 'What is this chart?' });
    expect(t.capture.grabOptions.at(-1)).toEqual(QUESTION_GRAB);
  });

  it('where the tab is not heard (Firefox) the state says so, and a question about speech is told no sound came', async () => {
    const t = makeManager();
    t.capture.hears = false;
    t.capture.soundNote = 'Firefox cannot capture a tab’s sound: only its picture is shared.';
    await sharing(t);
    expect(t.lastState()!.sharing).toMatchObject({ sound: false, soundNote: expect.stringContaining('Firefox') });
    await t.manager.handle({ type: 'ask', text: 'What was said?' });
    expect(t.capture.grabOptions).toEqual([QUESTION_GRAB]);
    expect(lastUser(t).map(show)).toContainEqual('[No sound of the shared tab came with this question: Firefox cannot capture a tab’s sound: only its picture is shared.]');
  });
});

describe('scenes', () => {
  it('get-timeline lists the kept scenes; ask-about-scene sends that scene, or its note once its pixels are gone', async () => {
    const t = makeManager();
    await sharing(t);
    await t.manager.frameArrived(payload('scene-A', t.at()));
    await t.manager.frameArrived(payload('scene-B', t.at()));
    await t.manager.handle({ type: 'get-timeline' });
    const scenes = t.events.findLast((e): e is Extract<PanelEvent, { type: 'timeline' }> => e.type === 'timeline')!.scenes;
    expect(scenes.map((s) => [s.reason, s.hasPicture])).toEqual([['sampled', true], ['sampled', true]]);
    const grabsBefore = t.capture.grabs;
    await t.manager.handle({ type: 'ask-about-scene', frameId: scenes[0]!.frameId, text: 'What was this?' });
    expect(t.capture.grabs).toBe(grabsBefore);
    const parts = lastUser(t).map(show);
    const at = parts.findIndex((p) => p.startsWith('[The person chose the scene captured at'));
    expect(parts[at + 1]).toBe('<image/jpeg:scene-A>');
    expect(t.lastState()!.session.turns[0]!.sceneFrameId).toBe(scenes[0]!.frameId);

    // Pixels gone (not kept): the note stands in.
    t.stores.settings = { ...t.stores.settings };
    const frames = t.stores.session!.frames;
    expect(frames.every((f) => f.data === '')).toBe(true);
    const t2 = makeManager(t.stores);
    await t2.manager.ready();
    await t2.manager.handle({ type: 'ask-about-scene', frameId: scenes[0]!.frameId, text: 'And that one?' });
    expect(lastUser(t2).map(show).find((p) => p.startsWith('[The person chose'))).toMatch(/picture is no longer kept/);
    await t2.manager.handle({ type: 'ask-about-scene', frameId: 'gone', text: 'And this?' });
    expect(lastUser(t2).map(show)).toContainEqual(expect.stringMatching(/earlier scene that is no longer kept/));
  });
});
