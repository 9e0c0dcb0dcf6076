/**
 * Live mode in the conversation manager: starting and ending the voice conversation held by the capture page,
 * and its reports as steps of the one queue. Transcript lines become turns of the SAME conversation as typed
 * ones (question = what the person said or typed, answer = the spoken answer's output transcription, marked
 * interrupted on barge-in), saved like them. The record of the running conversation (which line fills which
 * turn, the reconnect snapshot with the resumption handle) is kept in session storage, so a restarted service
 * worker carries on, and resumes the Gemini session if the page that held it is gone.
 */
import type { LiveLine, LiveRecord, LiveReport } from '../protocol/live.ts';
import { addUsage } from '../core/conversation/cost.ts';
import { overSpendLimit } from '../core/conversation/spend-limit.ts';
import { titleFor } from '../core/conversation/conversation-state.ts';
import type { LiveTokens } from '../core/live/usage.ts';
import type { Turn, Usage } from '../core/types.ts';
import type { ConversationContext, LiveJob } from './context.ts';


const NEEDS_GEMINI = 'Live mode needs Gemini: choose Gemini (through the proxy) as the backend in Settings, then press Start talking.';
const NOT_HERE = 'Live mode is not available in this browser yet.';
const NOT_SET = 'Set the proxy URL and access token in Settings, then press Start talking.';

const say = (ctx: ConversationContext, message: string) => {
  ctx.notice = { kind: 'unknown', message };
  ctx.emitState();
};

/** The cost per minute's base, from the record into the panel's view. */
const rateBase = (r: LiveRecord) => ({
  ...(r.startedAt !== undefined ? { startedAt: r.startedAt } : {}),
  ...(r.usageAtStart ? { usageAtStart: r.usageAtStart } : {}),
});

const persist = (ctx: ConversationContext) => ctx.deps.live.save(ctx.live ? ctx.live.record : null).catch(() => {});

/** A summary to seed a new Live session with: the typed conversation's summary and its newest turns. */
function seedSummary(ctx: ConversationContext): string {
  const recent = ctx.session.turns.slice(-6).map((t) => `Person: ${t.question}\nGemini: ${t.answer}`);
  return [ctx.session.summary ?? '', ...recent].filter(Boolean).join('\n\n').slice(-6000);
}

/** Start talking: opens the Live conversation in the capture page (which holds the socket and the microphone). */
export async function startLive(ctx: ConversationContext): Promise<void> {
  if (ctx.live) return;
  const settings = await ctx.deps.settings();
  const backend = ctx.deps.capture.live;
  if (settings.backend === 'openai') return say(ctx, NEEDS_GEMINI);
  if (!backend) return say(ctx, NOT_HERE);
  if (!settings.proxyUrl || !settings.accessToken) return say(ctx, NOT_SET);
  const over = overSpendLimit(ctx.session, settings);
  if (over) return say(ctx, `Live mode is paused: ${over.message}`);
  const saved = await ctx.deps.live.load().catch(() => null);
  const resume = saved && saved.conversationId === ctx.session.id ? saved : undefined;
  const record = resume ?? { conversationId: ctx.session.id, lines: [], answered: [], muted: false };
  record.startedAt ??= ctx.now();
  record.usageAtStart ??= ctx.session.usage;
  ctx.live = { record, view: { phase: 'starting', muted: record.muted, ...rateBase(record) } };
  ctx.notice = undefined;
  ctx.emitState();
  try {
    await backend.start({
      proxyUrl: settings.proxyUrl,
      accessToken: settings.accessToken,
      model: settings.liveModel,
      direct: settings.liveDirect,
      summary: seedSummary(ctx),
      muted: ctx.live.view.muted,
      ...(resume?.snapshot ? { resume: resume.snapshot } : {}),
    });
    await persist(ctx);
  } catch (err) {
    ctx.live = undefined;
    say(ctx, (err as Error).message || String(err));
  }
}

/** End conversation (or a reason to stop, such as the spend limit, said in a notice). */
export async function endLive(ctx: ConversationContext, reason?: string): Promise<void> {
  if (!ctx.live) return;
  await ctx.deps.capture.live?.end().catch(() => {});
  await liveEnded(ctx, reason);
}

/** Mute or unmute the microphone. */
export async function muteLive(ctx: ConversationContext, muted: boolean): Promise<void> {
  if (!ctx.live) return;
  ctx.live.view = { ...ctx.live.view, muted };
  ctx.live.record.muted = muted;
  ctx.emitState();
  await Promise.all([ctx.deps.capture.live?.setMuted(muted), persist(ctx)]);
}

/** Typing during Live: the text goes into the same session (with a fresh frame); its answer fills this turn. */
export async function liveText(ctx: ConversationContext, text: string): Promise<void> {
  const question = text.trim();
  if (!question || !ctx.live) return;
  const turn: Turn = { id: ctx.newId(), question, askedAt: ctx.now(), answer: '', status: 'waiting', spoken: true };
  ctx.session = { ...ctx.session, title: ctx.session.title || titleFor(question), turns: [...ctx.session.turns, turn] };
  ctx.live.record.lastTurnId = turn.id;
  ctx.emitTurn(turn);
  await Promise.all([ctx.save(), persist(ctx)]);
  await ctx.deps.capture.live?.sendText(question).catch((err: Error) => say(ctx, err.message));
}

/** After a service-worker restart: the running conversation's record, and a resume if its page is gone. */
export async function restoreLive(ctx: ConversationContext): Promise<void> {
  const saved = await ctx.deps.live.load().catch(() => null);
  if (!saved) return;
  const backend = ctx.deps.capture.live;
  if (!backend || saved.conversationId !== ctx.session.id) return void (await ctx.deps.live.save(null).catch(() => {}));
  ctx.live = { record: saved, view: { phase: 'open', muted: saved.muted, ...rateBase(saved) } };
  if (await backend.isActive().catch(() => false)) return;
  ctx.live = undefined; // startLive resumes from the saved record
  await startLive(ctx);
}

/** One report of the page that holds the Live socket. */
export async function liveReport(ctx: ConversationContext, report: LiveReport): Promise<void> {
  const job = ctx.live;
  if (!job) return;
  switch (report.type) {
    case 'live-phase':
      job.view = { phase: report.phase, muted: job.view.muted, ...rateBase(job.record), ...(report.notice ? { notice: report.notice } : {}) };
      return ctx.emitState();
    case 'live-saved':
      job.record.snapshot = report.snapshot;
      return persist(ctx);
    case 'live-level':
      return ctx.deps.broadcast({ type: 'live-level', level: report.level });
    case 'live-lines':
      return lines(ctx, job, report.lines);
    case 'live-usage':
      return usage(ctx, job, report.turn);
    case 'live-ended':
      return liveEnded(ctx, report.reason);
  }
}

async function liveEnded(ctx: ConversationContext, reason?: string): Promise<void> {
  const job = ctx.live;
  if (!job) return;
  ctx.live = undefined;
  // Answers still streaming keep what arrived.
  for (const turn of ctx.session.turns) {
    if (turn.spoken && (turn.status === 'streaming' || turn.status === 'waiting')) {
      ctx.updateTurn(turn.id, { status: 'done', finishedAt: ctx.now(), ...(turn.answer ? { interrupted: 'connection' as const } : {}) });
    }
  }
  if (reason) ctx.notice = { kind: 'unknown', message: reason };
  await Promise.all([ctx.save(), ctx.deps.live.save(null).catch(() => {})]);
  ctx.emitState();
}

/** Transcript lines that changed: the person's words open (or fill) a turn, the answer's fill the newest one. */
async function lines(ctx: ConversationContext, job: LiveJob, changed: LiveLine[]): Promise<void> {
  const map = new Map(job.record.lines);
  let finished = false;
  for (const line of changed) {
    let turnId = map.get(line.id);
    if (line.role === 'user') {
      if (!turnId) {
        const turn: Turn = { id: ctx.newId(), question: line.text, askedAt: line.startedAt, answer: '', status: 'waiting', spoken: true };
        ctx.session = { ...ctx.session, turns: [...ctx.session.turns, turn] };
        turnId = turn.id;
        map.set(line.id, turnId);
        job.record.lastTurnId = turnId;
      }
      const title = ctx.session.title || (line.status !== 'partial' ? titleFor(line.text) : '');
      if (title !== ctx.session.title) ctx.session = { ...ctx.session, title };
      ctx.emitTurn(ctx.updateTurn(turnId, { question: line.text }));
      finished ||= line.status !== 'partial';
      continue;
    }
    if (!turnId) {
      const last = job.record.lastTurnId;
      if (last && !job.record.answered.includes(last) && ctx.session.turns.some((t) => t.id === last)) turnId = last;
      else {
        // The model spoke without a question of its own (e.g. after a reconnect): a turn of its own.
        const turn: Turn = { id: ctx.newId(), question: '', askedAt: line.startedAt, answer: '', status: 'waiting', spoken: true };
        ctx.session = { ...ctx.session, turns: [...ctx.session.turns, turn] };
        turnId = turn.id;
      }
      map.set(line.id, turnId);
      job.record.answered.push(turnId);
    }
    answer(ctx, turnId, line);
    finished ||= line.status !== 'partial';
  }
  job.record.lines = [...map];
  // Saved when a line ends, not on every word: the write then holds the whole line.
  if (finished) await Promise.all([ctx.save(), persist(ctx)]);
}

/** The answer's transcript grew or ended: new words go as a delta, anything else as the whole turn. */
function answer(ctx: ConversationContext, turnId: string, line: LiveLine): void {
  const turn = ctx.session.turns.find((t) => t.id === turnId);
  if (!turn) return;
  if (line.status === 'partial') {
    if (turn.status === 'waiting') return ctx.emitTurn(ctx.updateTurn(turnId, { answer: line.text, status: 'streaming', firstTokenAt: ctx.now() }));
    if (line.text.startsWith(turn.answer)) {
      const delta = line.text.slice(turn.answer.length);
      ctx.updateTurn(turnId, { answer: line.text });
      if (delta) ctx.deps.broadcast({ type: 'answer-delta', turnId, text: delta });
      return;
    }
    return ctx.emitTurn(ctx.updateTurn(turnId, { answer: line.text }));
  }
  const interrupted = line.status === 'interrupted' ? 'barge-in' : line.status === 'cut' ? 'connection' : undefined;
  ctx.emitTurn(ctx.updateTurn(turnId, {
    answer: line.text, status: 'done', finishedAt: ctx.now(),
    ...(turn.firstTokenAt ? {} : { firstTokenAt: ctx.now() }),
    ...(interrupted ? { interrupted } : {}),
  }));
}

/** A Live turn's tokens: added to the conversation (billing counts every turn's context again) and to its turn. */
async function usage(ctx: ConversationContext, job: LiveJob, tokens: LiveTokens): Promise<void> {
  if (tokens.total <= 0) return;
  const used: Usage = { promptTokens: tokens.prompt, answerTokens: tokens.response };
  ctx.session = { ...ctx.session, usage: addUsage(ctx.session.usage, used) };
  const last = [...ctx.session.turns].reverse().find((t) => t.spoken && job.record.answered.includes(t.id));
  if (last) ctx.emitTurn(ctx.updateTurn(last.id, { usage: addUsage(last.usage ?? { promptTokens: 0, answerTokens: 0 }, used) }));
  await ctx.save();
  const over = overSpendLimit(ctx.session, await ctx.deps.settings());
  if (over) await endLive(ctx, `Live mode paused: ${over.message}`);
  else ctx.emitState();
}
