/**
 * npm run bench:session — Scripted sessions on a virtual clock (no real waiting), through the adaptive schedule,
 * the change detector and the real ConversationManager with the real SDK transport, against the stand-in Gemini
 * server, which bills each request by the public rules of the model's family (tests/support/gemini-billing.ts).
 * Each figure is printed beside its target and beside the seed's naive loop run in the same process on the
 * same clip (2 fps, every frame appended, the whole history resent):
 *   1. ten minutes of tabs, chat and camera (tests/support/scripted-clips.ts lectureClip), 20 questions, with
 *      the default model (a Gemini 3 model) and again with a Gemini 2.5 model;
 *   2. two minutes of scenes that are gone before the next question (shortScenesClip);
 *   3. one hour: the ten-minute clip looped, six times the questions: the largest request must stay flat.
 * Input tokens count cached ones; "prefix share" is the share of answer-request tokens that repeat the previous
 * answer request's start; cost uses DEFAULT_PRICES, cached input at its cached price when the repeated prefix is
 * long enough for Gemini's implicit cache (implicitCacheMinTokens).
 */
import { startFakeGemini, type FakeGemini } from '../tests/support/fake-gemini.ts';
import { lectureClip, shortScenesClip, type ScriptedClip } from '../tests/support/scripted-clips.ts';
import { cachedPrice, DEFAULT_PRICES } from '../lib/core/conversation/cost.ts';
import { ClipFrames, respondLikeGemini, runNaive, runOurs, type RunResult, type Sent } from './session-run.ts';

const DEFAULT_MODEL = 'gemini-flash-latest';
const GEMINI_2 = 'gemini-2.5-flash';
// The product's default floor (lib/core/settings.ts), and a 2 fps top.
const RATES = { minFps: 1, maxFps: 2 };
const TEN_MIN = 600_000;
const QUESTIONS = Array.from({ length: 20 }, (_, k) => 15_000 + k * 29_000); // 0:15 .. 9:26
const SHORT_QUESTIONS = [25_000, 55_000, 85_000, 115_000];

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const fmt = (n: number) => Math.round(n).toLocaleString('en');
const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
const usd = (x: number) => `$${x.toFixed(4)}`;
const t0 = performance.now();
let pass = true;

/**
 * A fresh stand-in per scenario: rendering a new clip can keep the client idle past Node's 5 s keep-alive, and a
 * reused socket the server is closing at that moment fails the next request (ECONNRESET).
 */
async function withFake<T>(fn: (fake: FakeGemini) => Promise<T>): Promise<T> {
  const fake = await startFakeGemini();
  try {
    return await fn(fake);
  } finally {
    await fake.close();
  }
}

interface Figures { total: number; max: number; share: number; cachedShare: number; costFull: number; costCached: number; bytesMax: number; images: number }
function figures(r: RunResult): Figures {
  const input = sum(r.requests.map((s) => s.tokens));
  const out = sum(r.requests.map((s) => s.answerTokens));
  const cached = sum(r.requests.map((s) => s.cached));
  const answers = r.requests.filter((s) => s.answer);
  const p = DEFAULT_PRICES;
  return {
    total: input,
    max: Math.max(...r.requests.map((s) => s.tokens)),
    share: sum(answers.map((s) => s.shared)) / sum(answers.map((s) => s.tokens)),
    cachedShare: cached / input,
    costFull: (input * p.inputPerMillion + out * p.outputPerMillion) / 1e6,
    costCached: ((input - cached) * p.inputPerMillion + cached * cachedPrice(p) + out * p.outputPerMillion) / 1e6,
    bytesMax: Math.max(...r.requests.map((s) => s.bytes)),
    images: sum(r.requests.map((s) => s.images)),
  };
}

/** Scene changes on screen for >= 1 s whose scene was an image in the first answer request asked after it. */
function delivered(clip: ScriptedClip, answers: Sent[], times: number[], limitMs: number) {
  const missed: string[] = [];
  let total = 0;
  for (const s of clip.scenes.slice(1).filter((x) => x.durationMs >= 1000)) {
    const qi = times.findIndex((t) => t >= s.startMs && t < limitMs);
    if (qi < 0) continue;
    total++;
    if (!answers[qi]?.scenes.has(s.index)) missed.push(s.name);
  }
  return { n: total - missed.length, total, missed, text: `${total - missed.length}/${total}` };
}

type Row = [string, string, string, string, boolean?];
function table(title: string, rows: Row[]): void {
  console.log(`\n${title}`);
  console.log(`${''.padEnd(50)}${'naive loop'.padStart(18)}${'Sightline'.padStart(16)}   target`);
  for (const [name, naive, ours, target, ok] of rows) {
    const mark = ok === undefined ? '    ' : ok ? 'ok  ' : 'MISS';
    if (ok === false) pass = false;
    console.log(`${mark}${name.padEnd(46)}${naive.padStart(18)}${ours.padStart(16)}   ${target}`);
  }
}

/** Ours for each model, beside one naive run billed for each model. */
async function compare(clip: ScriptedClip, durationMs: number, times: number[], models: string[]) {
  return withFake((fake) => compareOn(fake, clip, durationMs, times, models));
}

async function compareOn(fake: FakeGemini, clip: ScriptedClip, durationMs: number, times: number[], models: string[]) {
  const frames = new ClipFrames(clip);
  respondLikeGemini(fake, frames);
  const naive = await runNaive(fake, frames, durationMs, times, models);
  const out = [];
  for (const model of models) {
    const ours = await runOurs(fake, frames, durationMs, times, { model, ...RATES });
    out.push({ model, naive: naive[model]!, ours, n: figures(naive[model]!), o: figures(ours) });
  }
  return out;
}

function costRows(n: Figures, o: Figures, strict: boolean): Row[] {
  return [
    ['input tokens, total', fmt(n.total), fmt(o.total), `<= ${fmt(n.total / 100)} (1/100 of naive)`, strict ? o.total * 100 <= n.total : undefined],
    ['ratio naive / ours', '', `${(n.total / o.total).toFixed(1)}x`, '>= 100x'],
    ['largest request, tokens', fmt(n.max), fmt(o.max), '<= 32,000', o.max <= 32_000],
    ['largest request, MB', (n.bytesMax / 1e6).toFixed(1), (o.bytesMax / 1e6).toFixed(2), ''],
    ['images sent (all requests)', fmt(n.images), fmt(o.images), ''],
    ['prefix share (answer requests)', pct(n.share), pct(o.share), '>= 80%', strict ? o.share >= 0.8 : undefined],
    ['  of all input, cacheable (>= cache minimum)', pct(n.cachedShare), pct(o.cachedShare), ''],
    ['cost, no cache (input + output)', usd(n.costFull), usd(o.costFull), ''],
    ['cost, cached input at cached price', usd(n.costCached), usd(o.costCached), ''],
  ];
}

// ---- 1. ten minutes, both families ----
const lecture = lectureClip();
for (const { model, naive, ours, n, o } of await compare(lecture, TEN_MIN, QUESTIONS, [DEFAULT_MODEL, GEMINI_2])) {
  const strict = model === DEFAULT_MODEL;
  const dn = delivered(lecture, naive.answers, QUESTIONS, TEN_MIN);
  const dOurs = delivered(lecture, ours.answers, QUESTIONS, TEN_MIN);
  table(`bench:session — 10 minutes, ${QUESTIONS.length} questions, ${lecture.scenes.length - 1} scene changes, model ${model}${strict ? ' (the default; targets apply)' : ' (Gemini 2.x tiles; for comparison)'}`, [
    ...costRows(n, o, strict),
    ['model requests (answers + summaries)', String(naive.requests.length), String(ours.requests.length), ''],
    ['frames sampled / kept / dropped', `${naive.samples} / ${naive.framesKept} / 0`, `${ours.samples} / ${ours.framesKept} / ${ours.framesDropped}`, ''],
    ['scene changes seen at next question', dn.text, dOurs.text, `${dOurs.total}/${dOurs.total}`, strict ? dOurs.n === dOurs.total : undefined],
  ]);
  if (dOurs.missed.length) console.log(`    missed by Sightline: ${dOurs.missed.join(', ')}`);
  if (process.env.BENCH_DEBUG) ours.answers.forEach((r, i) => console.log(`    q${i + 1} @${QUESTIONS[i]! / 1000}s images ${r.images} scenes ${[...r.scenes].join(',')} tokens ${r.tokens} shared ${r.shared}`));
}

// ---- 2. short-lived scenes ----
const short = shortScenesClip();
{
  const { naive, ours, n, o } = (await compare(short, short.durationMs, SHORT_QUESTIONS, [DEFAULT_MODEL]))[0]!;
  const dn = delivered(short, naive.answers, SHORT_QUESTIONS, short.durationMs);
  const dOurs = delivered(short, ours.answers, SHORT_QUESTIONS, short.durationMs);
  const gone = short.scenes.slice(1).filter((s) => !SHORT_QUESTIONS.some((t) => t >= s.startMs && t < s.startMs + s.durationMs)).length;
  const sampled = short.scenes.slice(1).filter((s) => ours.keptScenes.has(s.index)).length;
  const fast = await withFake((fake) => {
    const frames = new ClipFrames(short);
    respondLikeGemini(fake, frames);
    return runOurs(fake, frames, short.durationMs, SHORT_QUESTIONS, { model: DEFAULT_MODEL, minFps: 1, maxFps: RATES.maxFps });
  });
  const dFast = delivered(short, fast.answers, SHORT_QUESTIONS, short.durationMs);
  table(`short-lived scenes — 2 minutes, ${SHORT_QUESTIONS.length} questions, ${short.scenes.length - 1} scene changes (${gone} gone before the next question), model ${DEFAULT_MODEL}`, [
    ['input tokens, total', fmt(n.total), fmt(o.total), ''],
    ['ratio naive / ours', '', `${(n.total / o.total).toFixed(1)}x`, ''],
    ['prefix share (answer requests)', pct(n.share), pct(o.share), ''],
    [`frames sampled (${RATES.minFps}..${RATES.maxFps} fps / 1..${RATES.maxFps} fps)`, '', `${ours.samples} / ${fast.samples}`, ''],
    [`scene changes sampled (${RATES.minFps}..${RATES.maxFps} fps)`, '', `${sampled}/${dOurs.total}`, ''],
    ['  of those, seen at next question', '', `${dOurs.n}/${sampled}`, `${sampled}/${sampled}`, dOurs.n === sampled],
    [`scene changes seen at next question (${RATES.minFps}..${RATES.maxFps} fps)`, dn.text, dOurs.text, `${dOurs.total}/${dOurs.total}`],
    [`scene changes seen at next question (1..${RATES.maxFps} fps)`, '', dFast.text, `${dFast.total}/${dFast.total}`, dFast.n === dFast.total],
  ]);
  if (dOurs.missed.length) console.log(`    missed at ${RATES.minFps}..${RATES.maxFps} fps (never sampled: the schedule had slowed down): ${dOurs.missed.join(', ')}`);
  if (dFast.missed.length) console.log(`    missed at 1..${RATES.maxFps} fps: ${dFast.missed.join(', ')}`);
}

// ---- 3. one hour, the ten-minute clip looped, six times the questions ----
{
  const hourQuestions = Array.from({ length: 6 }, (_, k) => QUESTIONS.map((t) => t + k * TEN_MIN)).flat();
  const hour = await withFake((fake) => {
    const frames = new ClipFrames(lecture);
    respondLikeGemini(fake, frames);
    return runOurs(fake, frames, 6 * TEN_MIN, hourQuestions, { model: DEFAULT_MODEL, ...RATES });
  });
  const h = figures(hour);
  const perTen = Array.from({ length: 6 }, (_, k) => Math.max(...hour.answers.slice(k * 20, (k + 1) * 20).map((r) => r.tokens)));
  // Flat: once compaction has had a window to kick in, later windows are no larger than the second one.
  const flat = perTen[5]! / perTen[1]!;
  table(`one hour — the 10-minute clip looped 6x, ${hourQuestions.length} questions, model ${DEFAULT_MODEL}`, [
    ['largest request per 10 minutes, tokens', '', perTen.map(fmt).join(' '), ''],
    ['last 10 min / second 10 min', '', flat.toFixed(2), '<= 1.10 (flat)', flat <= 1.1],
    ['largest request, tokens', '', fmt(h.max), '<= 32,000', h.max <= 32_000],
    ['input tokens, total', '', fmt(h.total), ''],
    ['prefix share (answer requests)', '', pct(h.share), '>= 80%', h.share >= 0.8],
    ['  of all input, cacheable (>= cache minimum)', '', pct(h.cachedShare), ''],
    ['cost, no cache / cached', '', `${usd(h.costFull)} / ${usd(h.costCached)}`, ''],
    ['turns summarized', '', String(hour.session?.summarizedTurns ?? 0), ''],
  ]);
}

console.log(`\n${pass ? 'PASS' : 'MISS'}: targets ${pass ? 'met' : 'not all met'}  (wall time ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
