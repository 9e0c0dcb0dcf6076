/**
 * The conversation library: a new conversation, reopening a past one, deleting one or all. Steps of the
 * conversation queue. An answer on its way is ended first: stopped and saved on its own conversation when
 * switching, dropped unwritten when its conversation is deleted.
 */
import { recoverInterrupted } from '../core/conversation/conversation-state.ts';
import { newConversation } from '../core/conversation/history.ts';
import type { Conversation } from '../core/types.ts';
import { dropAnswer, stopAnswer } from './answers.ts';
import type { ConversationContext } from './context.ts';

/** "New conversation": the current one is kept as it stands; an empty one is shown and continued. */
export async function startNew(ctx: ConversationContext): Promise<void> {
  await switchTo(ctx, newConversation(ctx.now(), ctx.newId()));
  await ctx.emitConversations();
}

/** Reopens a past conversation to read and continue it (an answer cut off earlier says so). */
export async function open(ctx: ConversationContext, id: string): Promise<void> {
  if (id !== ctx.session.id) {
    const { session, error } = await ctx.saving.open(id);
    if (session) await switchTo(ctx, recoverInterrupted(session, ctx.now()));
    else if (error) say(ctx, error);
  }
  await ctx.emitConversations();
}

/** Deletes one conversation from disk; deleting the current one leaves an empty one in its place. */
export async function remove(ctx: ConversationContext, id: string): Promise<void> {
  if (id === ctx.session.id) {
    dropAnswer(ctx);
    ctx.session = newConversation(ctx.now(), ctx.newId());
  }
  const refused = await ctx.saving.delete(id);
  if (refused) say(ctx, refused);
  else ctx.emitState();
  await ctx.emitConversations();
}

/**
 * "Delete all": every conversation, kept frame and hidden region goes, whatever was in flight, and sharing
 * stops. The answer on its way is dropped and its conversation is never written again.
 */
export async function removeAll(ctx: ConversationContext): Promise<void> {
  const inMemory = [ctx.session.id, ...(ctx.answering ? [ctx.answering.conversationId] : [])];
  dropAnswer(ctx);
  ctx.session = newConversation(ctx.now(), ctx.newId());
  ctx.notice = undefined;
  const refused = [
    await ctx.saving.deleteAll(inMemory),
    await ctx.sharing.forgetRegions().then(
      () => undefined,
      (err: unknown) => `Hidden regions could not be deleted: ${(err as Error).message}`,
    ),
  ].filter((s): s is string => s !== undefined);
  await ctx.sharing.stop();
  if (refused.length) say(ctx, refused.join(' '));
  else ctx.emitState();
  await ctx.emitConversations();
}

/** Makes `session` the conversation shown and continued, after the current one's answer stops and is saved. */
async function switchTo(ctx: ConversationContext, session: Conversation): Promise<void> {
  await stopAnswer(ctx);
  ctx.session = session;
  await ctx.save();
  ctx.emitState();
}

function say(ctx: ConversationContext, message: string): void {
  ctx.notice = { kind: 'not-saved', message };
  ctx.emitState();
}
