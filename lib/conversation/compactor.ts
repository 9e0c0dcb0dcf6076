/**
 * The summary call behind compaction (lib/core/conversation/compaction.ts plans it): one non-streamed model call
 * through the same transport, folded in with applySummary. A failed call changes nothing: the request
 * builder still caps every request, and the next turn tries again.
 */
import { chatServerOf, modelOf, type Settings } from '../core/settings.ts';
import type { StreamRequest, StreamResult } from '../transport/gemini.ts';
import { applySummary, planCompaction, type CompactionOptions } from '../core/conversation/compaction.ts';
import { addUsage } from '../core/conversation/cost.ts';
import type { Conversation } from '../core/types.ts';

export type SummarizeCall = (req: Omit<StreamRequest, 'onDelta'>) => Promise<StreamResult>;

export interface Summary {
  /** Applies the summary to the session as it is by then (unchanged if it moved on or is another one). */
  apply(current: Conversation): Conversation;
}

/** undefined when no compaction is due or the call failed. */
export async function summarizeIfDue(
  session: Conversation,
  settings: Settings,
  call: SummarizeCall,
  opts?: CompactionOptions,
): Promise<Summary | undefined> {
  const plan = planCompaction(session, { model: settings.model, ...opts });
  if (!plan) return undefined;
  let result: StreamResult;
  try {
    result = await call({
      proxyUrl: settings.proxyUrl,
      accessToken: settings.accessToken,
      model: modelOf(settings),
      chat: chatServerOf(settings),
      contents: plan.prompt,
      systemInstruction: plan.systemInstruction,
    });
  } catch {
    return undefined;
  }
  return {
    apply(current) {
      if (current.id !== session.id) return current;
      // The call was paid for even if its summary cannot be used.
      const paid = { ...current, usage: addUsage(current.usage, result.usage) };
      return applySummary(paid, result.text, plan);
    },
  };
}
