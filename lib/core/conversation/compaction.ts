/**
 * Rolling "summary so far" (docs/decisions/0004-history-and-compaction.md). When the next request would pass a
 * token threshold, the oldest verbatim turns (with their frames' scene notes) are folded into the summary by
 * one model call that the manager makes through the same transport. Pure: plan here, call, then applySummary.
 * Between two compactions every request only appends to the one before (history.ts), so Gemini's implicit cache
 * serves it; a compaction rewrites the start of the request, so it folds in as much as it may at once.
 */
import type { Content } from '@google/genai';
import type { Frame, Conversation, Turn } from '../types.ts';
import { buildRequest, clock, parseAnswer } from './history.ts';
import { mediaFor, modelFamily } from './media-resolution.ts';

/**
 * Compact when the next request would pass this many tokens. Between compactions requests grow by one turn each
 * (a sharp frame, the question, the answer), and only that growth is billed at the full price once Gemini's cache
 * serves the rest (>= 4,096 tokens on Gemini 3): a higher trigger means longer cached runs but larger requests.
 * 12,000 measured best for both on bench:session (docs/decisions/0004-history-and-compaction.md).
 */
export const DEFAULT_COMPACT_AT = 12000;
/** Fold turns in until the next request is estimated under this; with keepTurns 1 that is nearly all of them. */
export const DEFAULT_COMPACT_TO = 3000;
/** Turns that stay verbatim after a compaction: the last one, for follow-ups ("and now?"). */
export const DEFAULT_KEEP_TURNS = 1;

export interface CompactionOptions {
  /** The model requests go to (Settings.model): images are estimated by its family (media-resolution.ts). */
  model?: string;
  maxInlineFrames?: number;
  /** Compact once the next request would pass this many tokens (estimated). Default DEFAULT_COMPACT_AT (12000). */
  compactAt?: number;
  /** Fold in turns until the next request fits this many tokens (estimated). Default DEFAULT_COMPACT_TO. */
  compactTo?: number;
  /** Most recent turns that always stay verbatim. Default DEFAULT_KEEP_TURNS (1). */
  keepTurns?: number;
  /** Length the summary is asked to stay under. Default 300 words. */
  maxSummaryWords?: number;
}

export interface CompactionPlan {
  /** The plan folds turns [fromTurn, toTurn) into the summary; fromTurn is the session's summarizedTurns. */
  fromTurn: number;
  toTurn: number;
  systemInstruction: string;
  prompt: Content[];
}

export const SUMMARY_INSTRUCTION = [
  'You keep the memory of a live session in which a user shares a screen, tab or camera and asks about it.',
  'Rewrite the "summary so far" so that it also covers the new transcript. Keep what a later question could need:',
  'what was on screen and when (use the m:ss times given), names, numbers and text the user cared about, the',
  'questions asked and what was concluded. Drop small talk and repetition. Describe only what the transcript says;',
  'do not invent details. Plain text, no preamble.',
].join('\n');

/** A question the next request is estimated with: the manager compacts before the user asks it. */
function withNextQuestion(session: Conversation): Conversation {
  const last = session.turns.at(-1);
  const askedAt = Math.max(last?.askedAt ?? session.createdAt, ...session.frames.map((f) => f.capturedAt)) + 1;
  const next: Turn = { id: '(next)', question: 'x'.repeat(200), askedAt, answer: '', status: 'waiting' };
  return { ...session, turns: [...session.turns, next] };
}

function estimateWith(session: Conversation, summarizedTurns: number, summaryChars: number, opts: CompactionOptions): number {
  const s = { ...withNextQuestion(session), summarizedTurns, summary: session.summary || summarizedTurns ? 'x'.repeat(summaryChars) : undefined };
  const plan = buildRequest(s, { model: opts.model, maxInlineFrames: opts.maxInlineFrames, tokenBudget: Infinity });
  // The next question's own frame is not taken yet: one more sharp image.
  return plan.estimatedTokens + mediaFor(modelFamily(opts.model), 'question', 768, 432).tokens;
}

function transcriptLines(session: Conversation, fromTurn: number, toTurn: number): string[] {
  const t0 = session.createdAt;
  const start = fromTurn > 0 ? session.turns[fromTurn - 1]!.askedAt : -Infinity;
  const end = session.turns[toTurn - 1]!.askedAt;
  // The scene notes of the questions' frames and of frames sampled in between: the only trace of those frames.
  const questionFrames = new Set(session.turns.slice(fromTurn, toTurn).map((t) => t.frameId));
  const noted = session.frames.filter(
    (f): f is Frame & { note: string } => !!f.note && (questionFrames.has(f.id) || (f.capturedAt > start && f.capturedAt <= end)),
  );
  const lines: Array<[number, string]> = [];
  for (const f of noted) lines.push([f.capturedAt - 0.5, `[${clock(f.capturedAt - t0)}] Screen (${f.source}): ${f.note}`]);
  for (let i = fromTurn; i < toTurn; i++) {
    const t = session.turns[i]!;
    const answer = parseAnswer(t.answer).answer || `(no answer: ${t.status})`;
    lines.push([t.askedAt, `[${clock(t.askedAt - t0)}] User: ${t.question}`]);
    lines.push([t.askedAt + 0.5, `[${clock((t.finishedAt ?? t.askedAt) - t0)}] Assistant: ${answer}`]);
  }
  return lines.sort((a, b) => a[0] - b[0]).map((l) => l[1]);
}

/** null while the next request stays under the trigger; otherwise which turns to fold in, and the prompt to do it. */
export function planCompaction(session: Conversation, opts: CompactionOptions = {}): CompactionPlan | null {
  const words = opts.maxSummaryWords ?? 300;
  const summaryChars = words * 7;
  const from = session.summarizedTurns;
  // Only finished turns can be summarized, and the newest few stay verbatim.
  let maxTo = session.turns.length - (opts.keepTurns ?? DEFAULT_KEEP_TURNS);
  const unfinished = session.turns.findIndex((t) => t.status === 'waiting' || t.status === 'streaming');
  if (unfinished >= 0) maxTo = Math.min(maxTo, unfinished);
  if (maxTo <= from) return null;
  const current = estimateWith(session, from, session.summary?.length ?? 0, opts);
  if (current <= (opts.compactAt ?? DEFAULT_COMPACT_AT)) return null;

  const goal = opts.compactTo ?? DEFAULT_COMPACT_TO;
  let to = from + 1;
  while (to < maxTo && estimateWith(session, to, summaryChars, opts) > goal) to++;

  const lines = transcriptLines(session, from, to);
  const text = [
    `Summary so far:\n${session.summary?.trim() || '(none yet)'}`,
    `New transcript (times are m:ss since the session started):\n${lines.join('\n')}`,
    `Write the updated summary so far, at most ${words} words.`,
  ].join('\n\n');
  return {
    fromTurn: from,
    toTurn: to,
    systemInstruction: SUMMARY_INSTRUCTION,
    prompt: [{ role: 'user', parts: [{ text }] }],
  };
}

/**
 * The session with the summary in place of the planned turns; the frames it covers (sampled up to the last
 * folded question, or taken for a folded question) keep their notes and lose their pixels, which no request
 * sends again. A stale plan (the session was compacted in the meantime) or an empty summary changes nothing.
 */
export function applySummary(session: Conversation, summary: string, plan: CompactionPlan): Conversation {
  const text = summary.trim();
  if (!text || plan.fromTurn !== session.summarizedTurns || plan.toTurn > session.turns.length) return session;
  const end = session.turns[plan.toTurn - 1]!.askedAt;
  const folded = new Set(session.turns.slice(0, plan.toTurn).map((t) => t.frameId));
  const covered = (f: Frame) => f.capturedAt <= end || folded.has(f.id);
  const frames = session.frames.map((f) => (f.data && covered(f) ? { ...f, data: '' } : f));
  return { ...session, summary: text, summarizedTurns: plan.toTurn, frames };
}
