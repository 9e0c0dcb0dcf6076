/**
 * Questions and answers: a question's turn and frame, the model call bound to the conversation it was asked
 * in, its words as they come, and how it ends (done, failed, stopped). The call runs outside the queue; its
 * words and its end come back through the queue as steps, and are applied only while that call is still the
 * answer on its way. Switching or deleting conversations ends the call first, so nothing of it lands on
 * another conversation, or on a deleted one.
 */
import { chatServerOf, isConfigured, modelOf, type Settings } from '../core/settings.ts';
import { toUserError } from '../core/answers/errors.ts';
import { buildRequest } from '../core/conversation/history.ts';
import { noteFrame, titleFor, withoutHiddenPixels } from '../core/conversation/conversation-state.ts';
import { addUsage } from '../core/conversation/cost.ts';
import { overSpendLimit } from '../core/conversation/spend-limit.ts';
import type { Conversation, Turn } from '../core/types.ts';
import { withAttachments } from '../core/ask/attachments.ts';
import { summarizeIfDue } from './compactor.ts';
import { QUESTION_GRAB } from './manager-deps.ts';
import type { AnswerJob, ConversationContext } from './context.ts';
import { gatherQuestionMedia, startQuestionFrame, type AskRequest } from './question-media.ts';
import { answerWithTools, type ToolAnswer } from './tool-loop.ts';
import { offeredTools, toolSet } from './tools.ts';

export type { AskRequest } from './question-media.ts';

/** An answer on its way: `done` resolves once it has ended and any compaction after it is applied. */
export interface Asked {
  done: Promise<void>;
}

const NOT_CONFIGURED = {
  kind: 'not-configured',
  message: 'Set where answers come from in Settings (the proxy URL and access token, or a model server), then ask again.',
  action: 'open-settings',
} as const;

/**
 * The ask step: adds the turn, saves it with the frame of now (and a region's crop, the tab's sound, or the
 * earlier scene asked about), and starts the model call, with the functions the model may call. An answer still
 * on its way is stopped first. Returns while the answer streams (the queue goes on); undefined when nothing was
 * asked (empty question) or no call was made (proxy not configured: the turn says so).
 */
export async function ask(ctx: ConversationContext, req: AskRequest): Promise<Asked | undefined> {
  const question = req.text.trim();
  if (!question) return undefined;
  // The frame of now first (the settings are cached): stopping an answer, the panel's state and the save happen
  // while it is taken, and it is taken at the moment of Enter.
  const settings = await ctx.deps.settings();
  // Asked now: the frame is taken after this moment, so it is the frame "when this question was asked".
  const askedAt = ctx.now();
  const taking = isConfigured(settings) ? startQuestionFrame(ctx, { ...req, text: question }, settings) : undefined;
  await stopAnswer(ctx);
  const turn: Turn = { id: ctx.newId(), question, askedAt, answer: '', status: 'waiting' };
  ctx.session = { ...ctx.session, title: ctx.session.title || titleFor(question), turns: [...ctx.session.turns, turn] };
  if (!isConfigured(settings)) {
    await closeTurn(ctx, turn.id, { status: 'error', error: NOT_CONFIGURED });
    return undefined;
  }
  const job: AnswerJob = { conversationId: ctx.session.id, turnId: turn.id, model: modelOf(settings), abort: new AbortController() };
  ctx.answering = job;
  ctx.emitState();
  // Saved before the call (a worker stopped mid-answer must not lose the question), while the frame is
  // taken: the write does not add to the time to the first words.
  const saved = ctx.save();
  const media = await gatherQuestionMedia(ctx, { ...req, text: question }, settings, turn.id, taking);
  const frameId = media.patch.frameId;
  if (Object.keys(media.patch).length) ctx.emitTurn(ctx.updateTurn(turn.id, media.patch));
  await saved;

  // Frames taken before a region of their site was hidden travel without pixels.
  // The model decides each picture's media resolution and the token estimate (media-resolution.ts).
  const plan = buildRequest(withoutHiddenPixels(ctx.session, ctx.sharing.hiddenSince), { model: modelOf(settings) });
  const asked = frameId ? ctx.session.frames.find((f) => f.id === frameId) : undefined;
  const tools = toolSet(ctx, settings, offeredTools(ctx, settings, media.pointAt));
  const call = answerWithTools(
    ctx.deps.model,
    {
      proxyUrl: settings.proxyUrl,
      accessToken: settings.accessToken,
      model: modelOf(settings),
      chat: chatServerOf(settings),
      contents: withAttachments(plan.contents, asked?.data, media.attachments),
      systemInstruction: plan.systemInstruction,
      signal: job.abort.signal,
    },
    tools,
    (visible) => void ctx.run(() => showAnswer(ctx, job, visible)),
    (toolCalls) => void ctx.run(() => isCurrent(ctx, job) && ctx.emitTurn(ctx.updateTurn(job.turnId, { toolCalls }))),
  );
  const ended = call.then(
    (answer) => ctx.run(() => finishAnswer(ctx, job, answer, frameId)),
    (err: unknown) => ctx.run(() => failAnswer(ctx, job, err)),
  );
  return { done: ended.then((session) => (session ? compact(ctx, session, settings) : undefined)) };
}

/**
 * The person is typing a question: its frame is taken ahead (the grab at Enter reuses it when nothing changed on
 * screen since) and the connection to the model server is opened. Neither is waited for: the queue goes on.
 */
export async function prepareAsk(ctx: ConversationContext): Promise<void> {
  void ctx.sharing.prepare(QUESTION_GRAB);
  const settings = await ctx.deps.settings();
  if (isConfigured(settings)) ctx.deps.warmUp(settings);
}

/** The answer on its way stops where it stands (Stop answering, a new question, another conversation). */
export async function stopAnswer(ctx: ConversationContext): Promise<void> {
  const job = ctx.answering;
  if (!job) return;
  ctx.answering = undefined;
  job.abort.abort();
  await closeTurn(ctx, job.turnId, { status: 'stopped' });
}

/** The answer's conversation is being deleted: the call stops and nothing of it is written or shown. */
export function dropAnswer(ctx: ConversationContext): void {
  ctx.answering?.abort.abort();
  ctx.answering = undefined;
}

/** A lowered spend limit, or a turn that reached it, pauses sharing and says why. */
export async function checkSpendLimit(ctx: ConversationContext, settings: Settings): Promise<void> {
  const over = overSpendLimit(ctx.session, settings);
  if (over) await ctx.sharing.pauseFor(over);
}

const isCurrent = (ctx: ConversationContext, job: AnswerJob) => ctx.answering === job && ctx.session.id === job.conversationId;

/**
 * The visible answer grew. The first words make the turn 'streaming' with its firstTokenAt (a 'turn' event);
 * then the panel gets only the new words, or the whole turn if earlier text changed.
 */
function showAnswer(ctx: ConversationContext, job: AnswerJob, visible: string): void {
  if (!isCurrent(ctx, job)) return;
  const turn = ctx.session.turns.find((t) => t.id === job.turnId);
  if (!turn) return;
  if (turn.status === 'waiting') {
    ctx.emitTurn(ctx.updateTurn(job.turnId, { answer: visible, status: 'streaming', firstTokenAt: ctx.now() }));
  } else if (visible.startsWith(turn.answer)) {
    ctx.updateTurn(job.turnId, { answer: visible });
    ctx.deps.broadcast({ type: 'answer-delta', turnId: job.turnId, text: visible.slice(turn.answer.length) });
  } else {
    ctx.emitTurn(ctx.updateTurn(job.turnId, { answer: visible }));
  }
}

/**
 * The call ended with an answer: the turn, its frame's scene note, the tokens, the functions called and the
 * boxes marked (on the question's frame; none without one) are kept. The conversation after.
 */
async function finishAnswer(ctx: ConversationContext, job: AnswerJob, result: ToolAnswer, frameId: string | undefined): Promise<Conversation | undefined> {
  if (!isCurrent(ctx, job)) return undefined;
  ctx.answering = undefined;
  if (result.sceneNote && frameId) ctx.session = noteFrame(ctx.session, frameId, result.sceneNote);
  ctx.session = { ...ctx.session, usage: addUsage(ctx.session.usage, result.usage) };
  // An answer that did not end complete (blocked, cut short, thoughts only, empty) carries its sentence.
  const { ending, thoughts, textOnly, ocrModel, toolCalls, boxes } = result;
  await closeTurn(ctx, job.turnId, {
    answer: result.answer, status: 'done', usage: result.usage,
    ...(ending ? { ending } : {}), ...(thoughts ? { thoughts } : {}), ...(textOnly ? { textOnly } : {}),
    ...(ocrModel ? { ocrModel } : {}),
    ...(toolCalls.length ? { toolCalls } : {}),
    ...(boxes.length && frameId ? { boxes, boxesFrameId: frameId } : {}),
  });
  await checkSpendLimit(ctx, await ctx.deps.settings());
  return ctx.session;
}

/** The call failed: the turn says why in a sentence, keeping what arrived. */
async function failAnswer(ctx: ConversationContext, job: AnswerJob, err: unknown): Promise<undefined> {
  if (!isCurrent(ctx, job)) return undefined;
  ctx.answering = undefined;
  const error = toUserError(err, { model: job.model });
  await closeTurn(ctx, job.turnId, job.abort.signal.aborted ? { status: 'stopped' } : { status: 'error', error });
  return undefined;
}

/** A turn of the current conversation ends: the panel sees it, then it is saved. */
async function closeTurn(ctx: ConversationContext, turnId: string, patch: Partial<Turn>): Promise<void> {
  ctx.emitTurn(ctx.updateTurn(turnId, { ...patch, finishedAt: ctx.now() }));
  await ctx.save();
  ctx.emitState();
}

/**
 * After a turn: old turns are folded into the summary when the next request would be too large. The summary
 * call runs outside the queue; it applies only to the same conversation, still current. Never fails a turn.
 */
async function compact(ctx: ConversationContext, session: Conversation, settings: Settings): Promise<void> {
  const summary = await summarizeIfDue(session, settings, ctx.deps.summarize);
  if (!summary) return;
  await ctx.run(async () => {
    if (ctx.session.id !== session.id) return;
    ctx.session = summary.apply(ctx.session);
    await ctx.save();
    ctx.emitState();
    await checkSpendLimit(ctx, await ctx.deps.settings());
  });
}
