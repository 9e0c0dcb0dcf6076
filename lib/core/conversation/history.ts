/**
 * What goes into the next Gemini request: the pure heart of the conversation (docs/decisions/0004-history-and-compaction.md).
 * Questions and answers stay verbatim until a summary replaces them. Every frame kept since the summary travels
 * as an image once, in the turn it preceded, at the media resolution of its role (media-resolution.ts), and stays
 * there unchanged: each request only appends to the one before, so Gemini's implicit cache serves the repeated
 * prefix. Frames leave requests only when a summary folds their turn in (or lose their pixels: then their notes).
 */
import type { Content, Part } from '@google/genai';
import type { Frame, Conversation, Turn } from '../types.ts';
import { isIncomplete, leftOutOfHistory, noAnswerPlaceholder } from '../answers/endings.ts';
import { mediaFor, modelFamily, roleOf, type ModelFamily } from './media-resolution.ts';
import { estimateTokens, textTokens } from './request-tokens.ts';

export { estimateTokens } from './request-tokens.ts';

export interface HistoryOptions {
  /**
   * The model the request is for (Settings.model): decides the per-part media resolution and the token
   * estimate (media-resolution.ts). Default: the default model's family, Gemini 3.
   */
  model?: string;
  /**
   * Backstop on the frames sent as images (newest first); older ones are represented by their notes. Compaction
   * normally keeps far fewer; past this, earlier contents change and the cached prefix is lost. Default 48.
   */
  maxInlineFrames?: number;
  /** Upper bound for one request's estimated tokens; oldest verbatim turns are left out beyond it. Default 24000. */
  tokenBudget?: number;
}

/** One request, ready for the transport. */
export interface RequestPlan {
  contents: Content[];
  systemInstruction: string;
  /** Estimated input tokens (contents and system instruction) for the model's family. */
  estimatedTokens: number;
}

export const DEFAULT_MAX_INLINE_FRAMES = 48;
export const DEFAULT_TOKEN_BUDGET = 24000;

/** The line every answer ends with; parseAnswer strips it so the panel never shows it. */
export const SCENE_NOTE_PREFIX = 'SCENE:';

export const SYSTEM_INSTRUCTION = [
  'You are Sightline. The user shares a browser tab, a screen or a camera with you and asks about what it shows.',
  'Frames arrive as images in the user messages, each labelled with when it was captured. Frames captured between',
  'questions show what happened since your previous answer, at reduced detail. The sharp image right before each',
  'question was taken the moment that question was asked; before the final question it is what the screen shows',
  'now. A label may say the screen was unchanged since an earlier frame: that earlier image shows it. Older frames',
  'show the past; never describe them as the present.',
  'Answer from what the frames show. If what is asked about is not visible, or too small or blurred to read,',
  'say so plainly instead of guessing, and suggest moving closer, zooming in or asking to look closer.',
  'Text such as "Summary so far" and earlier scene notes describes frames no longer attached: treat it as memory,',
  'less certain than an image.',
  'Be concise; use Markdown when it helps.',
  'End every answer with one final line in exactly this form, naming every frame that came with the question, oldest first:',
  `${SCENE_NOTE_PREFIX} <m:ss> <what that frame shows, at most 12 words>; <m:ss> <...>`,
  'That line is hidden from the user; do not mention it.',
].join('\n');

export function newConversation(now: number, id: string): Conversation {
  return {
    id,
    createdAt: now,
    updatedAt: now,
    title: '',
    turns: [],
    frames: [],
    summarizedTurns: 0,
    usage: { promptTokens: 0, answerTokens: 0 },
    framesKept: 0,
    framesDropped: 0,
  };
}

// ---- answers and their scene notes ----

const SCENE_LINE = /^[\s>*_`#-]*scene(?:[\s_-]*note)?[\s*_`]*:[\s*_`]*(.*?)[\s*_`]*$/i;

/**
 * Splits a model answer into what the user sees and the trailing scene note. Works on a partial, streaming
 * answer too: a last line that is still growing into "SCENE:" is held back, so the note never flickers on screen.
 */
export function parseAnswer(text: string): { answer: string; sceneNote?: string } {
  const trimmed = text.replace(/\s+$/, '');
  const cut = trimmed.lastIndexOf('\n');
  const lastLine = trimmed.slice(cut + 1);
  const before = cut >= 0 ? trimmed.slice(0, cut).replace(/\s+$/, '') : '';
  const m = SCENE_LINE.exec(lastLine);
  if (m) {
    const note = m[1]!.trim();
    return note ? { answer: before, sceneNote: note } : { answer: before };
  }
  // Streaming: "S", "SCE", "**Scene" ... at the very end, not yet followed by a newline.
  const stem = lastLine.replace(/^[\s>*_`#-]+/, '').toUpperCase();
  if (text === trimmed && stem.length > 0 && SCENE_NOTE_PREFIX.startsWith(stem) && stem.length < SCENE_NOTE_PREFIX.length) {
    return { answer: before };
  }
  return { answer: text.replace(/\s+$/, '') };
}

// ---- time labels ----

/** "m:ss" or "h:mm:ss" since the session started: how times are written in requests and summaries. */
export function clock(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
}

// ---- request building ----

interface TurnFrames {
  /** Frames sampled between the previous question and this one, oldest first. */
  before: Frame[];
  /** The frame taken when this question was asked. */
  asked?: Frame;
}

/** Assigns each kept frame to the turn whose question it preceded; frames the summary covers are left out. */
function framesByTurn(session: Conversation, firstTurn: number): TurnFrames[] {
  const turns = session.turns;
  // A region's crop (Turn.region) goes with its own question only (lib/core/ask/attachments.ts), never as a scene.
  const questionFrameIds = new Set(turns.flatMap((t) => [t.frameId, t.region?.frameId]).filter((id): id is string => !!id));
  const byId = new Map(session.frames.map((f) => [f.id, f]));
  const out: TurnFrames[] = [];
  for (let i = firstTurn; i < turns.length; i++) {
    const t = turns[i]!;
    const from = i > 0 ? turns[i - 1]!.askedAt : -Infinity;
    // A frame sampled after the question (a race with the grab) waits for the next question.
    const before = session.frames.filter((f) => !questionFrameIds.has(f.id) && f.capturedAt > from && f.capturedAt <= t.askedAt);
    out.push({ before, asked: t.frameId ? byId.get(t.frameId) : undefined });
  }
  return out;
}

/** "[Frame captured at 1:23 (17 s before this question), tab]": relative to its own turn, so it never changes. */
function frameLabel(session: Conversation, f: Frame, turn: Turn): string {
  const at = clock(f.capturedAt - session.createdAt);
  const delta = turn.askedAt - f.capturedAt;
  const rel = delta > 0 ? `${ago(delta)} before this question` : 'when this question was asked';
  const kind = f.reason === 'closer' ? 'Close-up frame' : 'Frame';
  return `[${kind} captured at ${at} (${rel}), ${f.source}]`;
}

function framePart(f: Frame, family: ModelFamily): Part {
  const { mediaResolution } = mediaFor(family, roleOf(f.reason), f.width, f.height);
  return { inlineData: { mimeType: f.mimeType, data: f.data }, ...(mediaResolution ? { mediaResolution } : {}) };
}

/**
 * The model turn as replayed: only the visible answer, never the thoughts (Turn.thoughts), and never empty (Gemini
 * answers 400 to a model turn without text), so a turn without an answer says why in a placeholder.
 */
function modelText(turn: Turn, askedFrame: Frame | undefined): string {
  const parsed = parseAnswer(turn.answer);
  if (!parsed.answer) return noAnswerPlaceholder(turn);
  // Answers keep their scene line in the history, so the model sees its own convention followed.
  const note = parsed.sceneNote ?? askedFrame?.note;
  const stopped = turn.status === 'stopped' ? '\n(Stopped by the user.)' : isIncomplete(turn) ? '\n(Cut off here.)' : '';
  return `${parsed.answer}${stopped}${note ? `\n${SCENE_NOTE_PREFIX} ${note}` : ''}`;
}

/**
 * The parts for one frame: its label and image, or "unchanged since" an image already in the request, or (no
 * pixels left) its scene note. A question's own frame has no note of its own to give here: the answer's scene
 * line carries it. Nothing here may depend on which turn is the last one: a turn's contents must read the same
 * in every later request (the cached prefix).
 */
function frameParts(session: Conversation, f: Frame, turn: Turn, inline: Set<string>, family: ModelFamily): Part[] {
  const label = frameLabel(session, f, turn);
  const same = f.sameAs ? session.frames.find((g) => g.id === f.sameAs) : undefined;
  if (same && inline.has(same.id)) {
    return [{ text: `${label.slice(0, -1)}: the screen is unchanged since the frame captured at ${clock(same.capturedAt - session.createdAt)}]` }];
  }
  if (inline.has(f.id)) return [{ text: label }, framePart(f, family)];
  return f.note && turn.frameId !== f.id ? [{ text: `${label} not attached; it showed: ${f.note}` }] : [];
}

/**
 * The frames sent as images: every one with pixels since firstTurn, up to the newest maxInline, except those
 * that can say "unchanged since" an earlier frame of the request (they cost no image, so they do not count).
 */
function inlineFrames(frames: TurnFrames[], maxInline: number): Set<string> {
  const withBytes = frames.flatMap((tf) => [...tf.before, ...(tf.asked ? [tf.asked] : [])]).filter((f) => f.data);
  withBytes.sort((a, b) => a.capturedAt - b.capturedAt);
  const present = new Set(withBytes.map((f) => f.id));
  const images = withBytes.filter((f) => !(f.sameAs && present.has(f.sameAs)));
  return new Set(images.slice(Math.max(0, images.length - maxInline)).map((f) => f.id));
}

function build(session: Conversation, firstTurn: number, maxInline: number, family: ModelFamily): RequestPlan {
  const turns = session.turns;
  const frames = framesByTurn(session, firstTurn);
  const lastIndex = turns.length - 1;
  // A question Gemini refused as a whole, sent again with its pictures, would be refused again (endings.ts).
  const skipped = (i: number) => i < lastIndex && leftOutOfHistory(turns[i]!);
  const inline = inlineFrames(frames.filter((_, k) => !skipped(firstTurn + k)), maxInline);

  const contents: Content[] = [];
  for (let i = firstTurn; i < turns.length; i++) {
    const turn = turns[i]!;
    const tf = frames[i - firstTurn]!;
    if (skipped(i)) continue;
    const parts: Part[] = [];
    if (contents.length === 0 && session.summary) {
      parts.push({ text: `Summary so far (earlier frames and conversation):\n${session.summary}` });
    }
    for (const f of tf.before) parts.push(...frameParts(session, f, turn, inline, family));
    const asked = tf.asked;
    const askedParts = asked ? frameParts(session, asked, turn, inline, family) : [];
    parts.push(...askedParts);
    const at = clock(turn.askedAt - session.createdAt);
    const none = askedParts.length ? '' : '; no frame of the screen was available';
    parts.push({ text: `Question (asked at ${at}${none}):\n${turn.question}` });
    contents.push({ role: 'user', parts });
    if (i < lastIndex) contents.push({ role: 'model', parts: [{ text: modelText(turn, asked) }] });
  }
  const estimatedTokens = estimateTokens(contents, family) + textTokens(SYSTEM_INSTRUCTION);
  return { contents, systemInstruction: SYSTEM_INSTRUCTION, estimatedTokens };
}

/**
 * The request for the last turn of session.turns (the question just asked). Earlier turns after the summary
 * become alternating user/model contents. If the result would still pass the token budget (a summary call
 * failed or is pending), the oldest verbatim turns are left out, so no request grows without bound.
 * Throws when the session has no question.
 */
export function buildRequest(session: Conversation, opts: HistoryOptions = {}): RequestPlan {
  if (session.turns.length === 0) throw new Error('buildRequest: the session has no question to send');
  const maxInline = Math.max(1, opts.maxInlineFrames ?? DEFAULT_MAX_INLINE_FRAMES);
  const budget = opts.tokenBudget ?? DEFAULT_TOKEN_BUDGET;
  const family = modelFamily(opts.model);
  const last = session.turns.length - 1;
  const first = Math.min(Math.max(0, session.summarizedTurns), last);
  const full = build(session, first, maxInline, family);
  if (full.estimatedTokens <= budget || first === last) return full;
  // Fewer turns never cost more: binary-search the oldest turn that still fits.
  let lo = first + 1;
  let hi = last;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (build(session, mid, maxInline, family).estimatedTokens <= budget) hi = mid;
    else lo = mid + 1;
  }
  return build(session, lo, maxInline, family);
}
