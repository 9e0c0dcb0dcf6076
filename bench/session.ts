/**
 * npm run bench:session — A scripted ten-minute session on a virtual clock (no real waiting):
 * a generated clip with twelve scene changes and quiet stretches, twenty questions at scripted times, through the
 * adaptive schedule, the change detector and the real ConversationManager with the real SDK transport, against the
 * stand-in Gemini server. Same run, same clip: the seed's naive loop (2 fps, every frame appended, full history
 * resent). Then one hour of the same clip looped through our pipeline: the largest request must stay flat.
 *
 * FrameSampler itself needs a <video> and a Worker, so the loop below plays its part on the virtual clock:
 * sample when the schedule says, thumbnail, compare, encode only changed frames.
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
import type { Session } from '../lib/core/types.ts';
import { startFakeGemini, type RecordedRequest } from '../tests/support/fake-gemini.ts';
import { lectureClip, type ClipFrame } from '../tests/support/clips.ts';

const MIN_FPS = 0.2;
const MAX_FPS = 2;
const NAIVE_FPS = 2;
const TEN_MIN = 600_000;
const QUESTIONS = Array.from({ length: 20 }, (_, k) => 15_000 + k * 29_000); // 0:15 .. 9:26

const clip = lectureClip();
const fake = await startFakeGemini();

// ---- frames: rendered and encoded once per distinct picture; every JPEG remembers which scene it shows ----
const jpegs = new Map<string, string>();
const thumbs = new Map<string, LumaThumbnail>();
const sceneOfJpeg = new Map<string, number>();
function encoded(f: ClipFrame): string {
  let b64 = jpegs.get(f.key);
  if (!b64) {
    const raw = jpeg.encode({ data: Buffer.from(f.image.data.buffer), width: f.image.width, height: f.image.height }, 70);
    b64 = Buffer.from(raw.data).toString('base64');
    jpegs.set(f.key, b64);
    sceneOfJpeg.set(b64, f.scene.index);
  }
  return b64;
}
function thumb(f: ClipFrame): LumaThumbnail {
  let t = thumbs.get(f.key);
  if (!t) thumbs.set(f.key, (t = thumbnailOf(f.image)));
  return t;
}

// ---- what reached the stand-in upstream ----
interface Sent { tokens: number; images: number; scenes: Set<number>; bytes: number; answer: boolean }
type Part = { text?: string; inlineData?: { data?: string } };
function inspect(req: RecordedRequest): Sent {
  const body = req.body as { contents?: Content[]; systemInstruction?: { parts?: Part[] } };
  let chars = 0;
  let images = 0;
  const scenes = new Set<number>();
  const parts = [...(body.contents ?? []).flatMap((c) => (c.parts ?? []) as Part[]), ...(body.systemInstruction?.parts ?? [])];
  for (const p of parts) {
    if (p.text) chars += p.text.length;
    if (p.inlineData?.data) {
      images++;
      const s = sceneOfJpeg.get(p.inlineData.data);
      if (s !== undefined) scenes.add(s);
    }
  }
  return { tokens: images * 258 + Math.ceil(chars / 4), images, scenes, bytes: req.bodyBytes, answer: req.action === 'streamGenerateContent' };
}
// The stand-in "model" writes a plausible scene note from the scene of the last image it got.
fake.respond((req) => {
  const contents = (req.body as { contents?: Content[] }).contents ?? [];
  const last = contents.flatMap((c) => (c.parts ?? []) as Part[]).filter((p) => p.inlineData?.data).at(-1);
  const scene = last ? sceneOfJpeg.get(last.inlineData!.data!) : undefined;
  const note = scene === undefined ? 'nothing visible' : clip.scenes[scene]!.name;
  // About a hundred tokens, as a real answer to "what is on the screen and what changed" runs.
  const body = `The latest frame shows ${note}. Compared with the earlier frames, the layout is the same window, and the main content area is what changed; the text is legible at this size and nothing else on screen appears to be moving. `;
  return { text: ['From the frames: ', body, body.slice(0, 140), `\nSCENE: ${note}`], delayMs: 0 };
});
function takeRequests(): Sent[] {
  const out = fake.requests.filter((r) => r.action === 'streamGenerateContent' || r.action === 'generateContent').map(inspect);
  fake.requests.length = 0;
  return out;
}

// ---- our pipeline: schedule + change detector + ConversationManager ----
interface RunResult { requests: Sent[]; answers: Sent[]; framesKept: number; framesDropped: number; samples: number; session: Session }
async function runOurs(durationMs: number, questionTimes: number[]): Promise<RunResult> {
  let now = 0;
  const settings: Settings = normalizeSettings({ proxyUrl: fake.url, accessToken: 'bench', fps: MAX_FPS, minFps: MIN_FPS, sessionBudget: 0 });
  const detector = createChangeDetector();
  const payloadOf = (f: ClipFrame, changed: boolean): FramePayload => {
    const t = thumb(f);
    return { capturedAt: now, width: f.image.width, height: f.image.height, data: encoded(f), meanLuma: meanLuma(t), encodeMs: 0, changed };
  };
  let saved: Session | undefined;
  let ids = 0;
  const manager = new ConversationManager({
    capture: {
      start: async () => ({ label: 'Lecture' }),
      stop: async () => {},
      setPaused: async () => {},
      setRate: async () => {},
      // As the encode Worker does: the frame of the moment is always encoded and becomes the reference.
      grab: async () => {
        const f = clip.frameAt(now);
        const verdict = detector.consider(thumb(f), now);
        if (!verdict.changed) detector.keep(thumb(f), now);
        return payloadOf(f, verdict.changed);
      },
      isActive: async () => true,
    },
    settings: async () => settings,
    sessions: { load: async () => undefined, save: async (s) => void (saved = s) },
    library: { list: async () => [], load: async () => undefined, delete: async () => {}, deleteAll: async () => {} },
    sharing: { load: async () => undefined, save: async () => {} },
    model: streamAnswer,
    summarize: generateText,
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
  takeRequests();

  let schedule = createSchedule({ minFps: MIN_FPS, maxFps: MAX_FPS }, 0);
  let nextSample = 0;
  let q = 0;
  let samples = 0;
  const requests: Sent[] = [];
  const answers: Sent[] = [];
  while (nextSample < durationMs || q < questionTimes.length) {
    if (q < questionTimes.length && questionTimes[q]! <= nextSample) {
      now = questionTimes[q]!;
      await manager.handle({ type: 'ask', text: `Question ${q + 1}: what is on the screen now, and what changed?` });
      const sent = takeRequests();
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
    const verdict = detector.consider(thumb(f), now);
    if (verdict.changed) await manager.frameArrived(payloadOf(f, true));
    else await manager.frameDropped();
    const step = nextDelayMs(schedule, { type: 'frame', now, changed: verdict.changed });
    schedule = step.state;
    nextSample = now + step.delayMs;
  }
  requests.push(...takeRequests()); // summary calls, if the manager made any after the last answer
  const session = saved!;
  return { requests, answers, framesKept: session.framesKept, framesDropped: session.framesDropped, samples, session };
}

// ---- the seed's naive loop: every frame at 2 fps appended, the whole history resent with each question ----
async function runNaive(durationMs: number, questionTimes: number[]): Promise<{ requests: Sent[]; frames: number }> {
  const history: Content[] = [];
  const requests: Sent[] = [];
  let q = 0;
  let frames = 0;
  for (let t = 0; t < durationMs || q < questionTimes.length; t += 1000 / NAIVE_FPS) {
    while (q < questionTimes.length && questionTimes[q]! <= t) {
      history.push({ role: 'user', parts: [{ text: `Question ${q + 1}: what is on the screen now, and what changed?` }] });
      const res = await streamAnswer({ proxyUrl: fake.url, accessToken: 'bench', model: 'gemini-flash-latest', contents: history, onDelta: () => {} });
      history.push({ role: 'model', parts: [{ text: res.text }] });
      requests.push(...takeRequests());
      q++;
    }
    if (t >= durationMs) continue;
    history.push({ role: 'user', parts: [{ text: 'Here is the current view from my camera.' }, { inlineData: { mimeType: 'image/jpeg', data: encoded(clip.frameAt(t)) } }] });
    frames++;
  }
  return { requests, frames };
}

/** Scene changes whose new scene was in the request of the first question asked after the change. */
function delivered(requests: Sent[], questionTimes: number[]): { delivered: number; total: number; missed: string[] } {
  const missed: string[] = [];
  let total = 0;
  for (const s of clip.scenes.slice(1)) {
    const qi = questionTimes.findIndex((t) => t % TEN_MIN >= s.startMs && t < TEN_MIN);
    if (qi < 0) continue;
    total++;
    if (!requests[qi]?.scenes.has(s.index)) missed.push(s.name);
  }
  return { delivered: total - missed.length, total, missed };
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const fmt = (n: number) => Math.round(n).toLocaleString('en');
const t0 = performance.now();

const naive = await runNaive(TEN_MIN, QUESTIONS);
const ours = await runOurs(TEN_MIN, QUESTIONS);
const naiveTotal = sum(naive.requests.map((r) => r.tokens));
const oursTotal = sum(ours.requests.map((r) => r.tokens));
const naiveMax = Math.max(...naive.requests.map((r) => r.tokens));
const oursMax = Math.max(...ours.requests.map((r) => r.tokens));
const dNaive = delivered(naive.requests, QUESTIONS);
const dOurs = delivered(ours.answers, QUESTIONS);

console.log(`\nbench:session — 10-minute scripted session, ${QUESTIONS.length} questions, ${clip.scenes.length - 1} scene changes, virtual clock`);
console.log(`clip ${clip.width}x${clip.height}; ours: adaptive ${MIN_FPS}..${MAX_FPS} fps + change detection; naive: ${NAIVE_FPS} fps, all frames, full history\n`);
const rows: Array<[string, string, string, string]> = [
  ['', 'naive loop', 'Sightline', 'target'],
  ['input tokens, total', fmt(naiveTotal), fmt(oursTotal), `<= ${fmt(naiveTotal / 50)} (1/50 of naive)`],
  ['ratio naive / ours', '', `${(naiveTotal / oursTotal).toFixed(1)}x`, '>= 50x'],
  ['largest request, tokens', fmt(naiveMax), fmt(oursMax), '<= 32,000'],
  ['largest request, MB', (Math.max(...naive.requests.map((r) => r.bytes)) / 1e6).toFixed(1), (Math.max(...ours.requests.map((r) => r.bytes)) / 1e6).toFixed(2), ''],
  ['frames sampled', fmt(naive.frames), fmt(ours.samples), ''],
  ['frames kept / dropped', `${naive.frames} / 0`, `${ours.framesKept} / ${ours.framesDropped}`, ''],
  ['images sent (all requests)', fmt(sum(naive.requests.map((r) => r.images))), fmt(sum(ours.requests.map((r) => r.images))), ''],
  ['model requests', String(naive.requests.length), String(ours.requests.length), ''],
  ['scene changes seen at next question', `${dNaive.delivered}/${dNaive.total}`, `${dOurs.delivered}/${dOurs.total}`, `${dOurs.total}/${dOurs.total}`],
];
for (const r of rows) console.log(`${r[0].padEnd(38)}${r[1].padStart(14)}${r[2].padStart(14)}   ${r[3]}`);
if (dOurs.missed.length) console.log(`missed by Sightline: ${dOurs.missed.join(', ')}`);
if (process.env.BENCH_DEBUG) ours.answers.forEach((r, i) => console.log(`q${i + 1} @${QUESTIONS[i]! / 1000}s images ${r.images} scenes ${[...r.scenes].join(',')} tokens ${r.tokens}`));

// ---- one hour, same clip looped, six times the questions ----
const hourQuestions = Array.from({ length: 6 }, (_, k) => QUESTIONS.map((t) => t + k * TEN_MIN)).flat();
const hour = await runOurs(6 * TEN_MIN, hourQuestions);
const perTen = Array.from({ length: 6 }, (_, k) => Math.max(...hour.answers.slice(k * 20, (k + 1) * 20).map((r) => r.tokens)));
console.log(`\none hour (clip looped 6x, ${hourQuestions.length} questions): largest request per 10 minutes, tokens: ${perTen.map(fmt).join(', ')}`);
// Flat: once compaction has had a window to kick in, later windows are no larger than the second one.
const flat = perTen[5]! <= perTen[1]! * 1.1;
console.log(`  last 10 min / second 10 min = ${(perTen[5]! / perTen[1]!).toFixed(2)}   target <= 1.10 (flat)`);
console.log(`  total input tokens ${fmt(sum(hour.requests.map((r) => r.tokens)))}, summary so far: ${hour.session.summary ? `${hour.session.summarizedTurns} turns summarized` : 'none (manager did not compact)'}`);

const pass = oursTotal * 50 <= naiveTotal && dOurs.delivered === dOurs.total && oursMax <= 32_000 && Math.max(...hour.requests.map((r) => r.tokens)) <= 32_000 && flat;
console.log(`\n${pass ? 'PASS' : 'MISS'}: targets ${pass ? 'met' : 'not all met'}  (wall time ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
await fake.close();
