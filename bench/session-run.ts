/**
 * The two pipelines bench/session.ts compares, on a virtual clock against the stand-in Gemini server:
 * ours (adaptive schedule, change detector, the real ConversationManager with the real SDK transport) and the seed's
 * naive loop (2 fps, every frame appended, full history resent). The stand-in bills each request by the public
 * rules (tests/support/gemini-billing.ts), so the manager's usage is what Gemini would report.
 *
 * FrameSampler itself needs a <video> and a Worker, so runOurs plays its part: sample when the schedule says,
 * thumbnail, compare, encode only changed frames.
 */
import jpeg from 'jpeg-js';
import type { Content } from '@google/genai';
import { ConversationManager } from '../lib/conversation/manager.ts';
import { generateText, streamAnswer } from '../lib/transport/gemini.ts';
import { createChangeDetector } from '../lib/core/frames/change.ts';
import { meanLuma, thumbnailOf, type LumaThumbnail } from '../lib/core/frames/luma.ts';
import { createSchedule, nextDelayMs } from '../lib/core/frames/schedule.ts';
import type { FramePayload } from '../lib/protocol/messages.ts';
import { normalizeSettings, type Settings } from '../lib/core/settings.ts';
import type { Conversation } from '../lib/core/types.ts';
import type { FakeGemini, RecordedRequest } from '../tests/support/fake-gemini.ts';
import { billedPromptTokens, cacheMinTokens, sharedPrefixTokens } from '../tests/support/gemini-billing.ts';
import type { ClipFrame, ScriptedClip } from '../tests/support/scripted-clips.ts';

/** One model request as it reached the stand-in. */
export interface Sent {
  /** Input tokens as Gemini would bill them for the request's model. */
  tokens: number;
  /** Of those, the ones repeating the start of the previous answer request (0 for summary calls). */
  shared: number;
  /** Of those, the ones an implicit cache would serve (shared, when at least the model's minimum). */
  cached: number;
  images: number;
  scenes: Set<number>;
  bytes: number;
  answer: boolean;
  /** Output tokens the stand-in billed for it. */
  answerTokens: number;
}

export interface RunResult {
  requests: Sent[];
  answers: Sent[];
  framesKept: number;
  framesDropped: number;
  samples: number;
  /** Scenes of which the sampler kept at least one frame (ours only). */
  keptScenes: Set<number>;
  session?: Conversation;
}

type Part = { text?: string; inlineData?: { data?: string } };

/** A clip's frames, rendered and JPEG-encoded once per distinct picture; every JPEG remembers its scene. */
export class ClipFrames {
  private jpegs = new Map<string, string>();
  private thumbs = new Map<string, LumaThumbnail>();
  readonly sceneOfJpeg = new Map<string, number>();
  readonly clip: ScriptedClip;
  constructor(clip: ScriptedClip) {
    this.clip = clip;
  }
  encoded(f: ClipFrame): string {
    let b64 = this.jpegs.get(f.key);
    if (!b64) {
      const raw = jpeg.encode({ data: Buffer.from(f.image.data.buffer), width: f.image.width, height: f.image.height }, 70);
      b64 = Buffer.from(raw.data).toString('base64');
      this.jpegs.set(f.key, b64);
      this.sceneOfJpeg.set(b64, f.scene.index);
    }
    return b64;
  }
  thumb(f: ClipFrame): LumaThumbnail {
    let t = this.thumbs.get(f.key);
    if (!t) this.thumbs.set(f.key, (t = thumbnailOf(f.image)));
    return t;
  }
}

/**
 * The stand-in "model": answers about a hundred tokens, as a real answer to "what is on the screen and what
 * changed" runs, ending with a scene line naming every image of the question; a summary call gets a summary of
 * about 250 words naming the scenes its transcript mentions. Usage is billed by the public rules.
 */
const answerTokensOf = new WeakMap<RecordedRequest, number>();

export function respondLikeGemini(fake: FakeGemini, frames: ClipFrames): void {
  const reply = (req: RecordedRequest, text: string[], prompt: number) => {
    const answer = Math.ceil(text.join('').length / 4);
    answerTokensOf.set(req, answer);
    return { text, delayMs: 0, usage: { prompt, answer } };
  };
  fake.respond((req) => {
    const body = req.body as { contents?: Content[] };
    const contents = body.contents ?? [];
    const prompt = billedPromptTokens(req.body, req.model);
    const names = (ids: Array<number | undefined>) => ids.map((s) => (s === undefined ? 'nothing visible' : frames.clip.scenes[s]!.name));
    if (req.action === 'generateContent') {
      const text = (contents.flatMap((c) => (c.parts ?? []) as Part[]).map((p) => p.text ?? '').join('\n'));
      const seen = frames.clip.scenes.filter((s) => text.includes(s.name)).map((s) => s.name);
      const summary = `The user watched ${seen.join(', ') || 'the shared tab'} and asked what changed each time. `.padEnd(1500, 'Details of each scene and answer follow in order. ');
      return reply(req, [summary], prompt);
    }
    const lastUser = [...contents].reverse().find((c) => c.role === 'user');
    const images = ((lastUser?.parts ?? []) as Part[]).filter((p) => p.inlineData?.data).map((p) => frames.sceneOfJpeg.get(p.inlineData!.data!));
    const latest = names(images.slice(-1))[0] ?? 'the same screen as before';
    const line = `The latest frame shows ${latest}. Compared with the earlier frames, the layout is the same window, and the main content area is what changed; the text is legible at this size and nothing else on screen appears to be moving. `;
    const text = ['From the frames: ', line, line.slice(0, 140), `\nSCENE: ${names(images).join('; ') || latest}`];
    return reply(req, text, prompt);
  });
}

/** What each recorded request cost, and what it repeated of the answer request before it (billed for its model). */
export function collect(fake: FakeGemini, frames: ClipFrames, previous: { body?: unknown }): Sent[] {
  return collectAs(fake, frames, { '': previous })['']!;
}

/**
 * collect for several models at once (key '' = each request's own model): one naive run serves every family,
 * since its requests carry no per-model field.
 */
function collectAs(fake: FakeGemini, frames: ClipFrames, previous: Record<string, { body?: unknown }>): Record<string, Sent[]> {
  const out: Record<string, Sent[]> = {};
  const reqs = fake.requests.filter((r) => r.action === 'streamGenerateContent' || r.action === 'generateContent');
  for (const [model, prev] of Object.entries(previous)) out[model] = reqs.map((r) => inspect(r, model || r.model, frames, prev));
  fake.requests.length = 0;
  return out;
}

function inspect(req: RecordedRequest, model: string, frames: ClipFrames, previous: { body?: unknown }): Sent {
  const body = req.body as { contents?: Content[] };
  const answer = req.action === 'streamGenerateContent';
  const scenes = new Set<number>();
  let images = 0;
  for (const p of (body.contents ?? []).flatMap((c) => (c.parts ?? []) as Part[])) {
    if (!p.inlineData?.data) continue;
    images++;
    const s = frames.sceneOfJpeg.get(p.inlineData.data);
    if (s !== undefined) scenes.add(s);
  }
  const tokens = billedPromptTokens(req.body, model);
  const shared = answer && previous.body ? sharedPrefixTokens(previous.body, req.body, model) : 0;
  if (answer) previous.body = req.body;
  const cached = shared >= cacheMinTokens(model) ? shared : 0;
  return { tokens, shared, cached, images, scenes, bytes: req.bodyBytes, answer, answerTokens: answerTokensOf.get(req) ?? 0 };
}

export interface OursOptions {
  model: string;
  minFps: number;
  maxFps: number;
}

/** Our pipeline over `durationMs` of the clip, asking at `questionTimes` (ms). */
export async function runOurs(fake: FakeGemini, frames: ClipFrames, durationMs: number, questionTimes: number[], o: OursOptions): Promise<RunResult> {
  const clip = frames.clip;
  let now = 0;
  const settings: Settings = normalizeSettings({ proxyUrl: fake.url, accessToken: 'bench', model: o.model, fps: o.maxFps, minFps: o.minFps, spendLimit: 0 });
  const detector = createChangeDetector();
  const payloadOf = (f: ClipFrame, changed: boolean): FramePayload => ({
    capturedAt: now, width: f.image.width, height: f.image.height, data: frames.encoded(f), meanLuma: meanLuma(frames.thumb(f)), encodeMs: 0, changed,
  });
  let saved: Conversation | undefined;
  let ids = 0;
  const manager = new ConversationManager({
    capture: {
      start: async () => ({ label: 'Bench clip' }),
      stop: async () => {},
      setPaused: async () => {},
      setRate: async () => {},
      // As the encode Worker does: the frame of the moment is always encoded and becomes the reference.
      grab: async () => {
        const f = clip.frameAt(now);
        const verdict = detector.consider(frames.thumb(f), now);
        if (!verdict.changed) detector.keep(frames.thumb(f), now);
        keptScenes.add(f.scene.index);
        return payloadOf(f, verdict.changed);
      },
      isActive: async () => true,
    },
    settings: async () => settings,
    sessions: { load: async () => undefined, save: async (s) => void (saved = s) },
    library: { list: async () => [], load: async () => undefined, delete: async () => {}, deleteAll: async () => {} },
    sharing: { load: async () => undefined, save: async () => {} },
    live: { load: async () => null, save: async () => {} },
    model: streamAnswer,
    summarize: generateText,
    warmUp: () => {},
    tabToShare: async () => 1,
    tabUrl: async () => 'https://lecture.example/',
    redactions: { load: async () => [], save: async () => {}, loadHiddenSince: async () => ({}), saveHiddenSince: async () => {}, deleteAll: async () => {} },
    consented: async () => true,
    readPage: async () => ({ ok: false, message: 'The benchmark reads no pages.' }),
    broadcast: () => {},
    now: () => now,
    newId: () => `id${++ids}`,
  });
  await manager.ready();
  await manager.handle({ type: 'share', source: 'tab' });
  const previous: { body?: unknown } = {};
  collect(fake, frames, previous);

  const keptScenes = new Set<number>();
  let schedule = createSchedule({ minFps: o.minFps, maxFps: o.maxFps }, 0);
  let nextSample = 0;
  let q = 0;
  let samples = 0;
  const requests: Sent[] = [];
  const answers: Sent[] = [];
  while (nextSample < durationMs || q < questionTimes.length) {
    if (q < questionTimes.length && questionTimes[q]! <= nextSample) {
      now = questionTimes[q]!;
      await manager.handle({ type: 'ask', text: `Question ${q + 1}: what is on the screen now, and what changed?` });
      const sent = collect(fake, frames, previous);
      requests.push(...sent);
      answers.push(sent.find((r) => r.answer)!);
      const step = nextDelayMs(schedule, { type: 'asked', now });
      schedule = step.state;
      nextSample = Math.min(nextSample, now + step.delayMs);
      q++;
      continue;
    }
    now = nextSample;
    samples++;
    const f = clip.frameAt(now);
    const verdict = detector.consider(frames.thumb(f), now);
    if (verdict.changed) {
      keptScenes.add(f.scene.index);
      await manager.frameArrived(payloadOf(f, true));
    } else await manager.frameDropped();
    const step = nextDelayMs(schedule, { type: 'frame', now, changed: verdict.changed });
    schedule = step.state;
    nextSample = now + step.delayMs;
  }
  requests.push(...collect(fake, frames, previous)); // summary calls after the last answer, if any
  return { requests, answers, framesKept: saved?.framesKept ?? 0, framesDropped: saved?.framesDropped ?? 0, samples, keptScenes, session: saved };
}

/**
 * The seed's naive loop: every frame at `fps` appended, the whole history resent with each question; billed for
 * each of `models` (the requests are the same for every model).
 */
export async function runNaive(fake: FakeGemini, frames: ClipFrames, durationMs: number, questionTimes: number[], models: string[], fps = 2): Promise<Record<string, RunResult>> {
  const history: Content[] = [];
  const sent: Record<string, Sent[]> = Object.fromEntries(models.map((m) => [m, []]));
  const previous = Object.fromEntries(models.map((m) => [m, {}]));
  let q = 0;
  let kept = 0;
  for (let t = 0; t < durationMs || q < questionTimes.length; t += 1000 / fps) {
    while (q < questionTimes.length && questionTimes[q]! <= t) {
      history.push({ role: 'user', parts: [{ text: `Question ${q + 1}: what is on the screen now, and what changed?` }] });
      const res = await streamAnswer({ proxyUrl: fake.url, accessToken: 'bench', model: models[0]!, contents: history, onDelta: () => {} });
      history.push({ role: 'model', parts: [{ text: res.text }] });
      const got = collectAs(fake, frames, previous);
      for (const m of models) sent[m]!.push(...got[m]!);
      q++;
    }
    if (t >= durationMs) continue;
    const data = frames.encoded(frames.clip.frameAt(t));
    history.push({ role: 'user', parts: [{ text: 'Here is the current view from my camera.' }, { inlineData: { mimeType: 'image/jpeg', data } }] });
    kept++;
  }
  const result = (requests: Sent[]): RunResult => ({ requests, answers: requests.filter((r) => r.answer), framesKept: kept, framesDropped: 0, samples: kept, keptScenes: new Set() });
  return Object.fromEntries(models.map((m) => [m, result(sent[m]!)]));
}
