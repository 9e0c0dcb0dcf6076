/**
 * The scene timeline for the panel (issue 14, item 5): the conversation's kept scenes, and one frame's picture
 * on request (a timeline thumbnail, a region's crop, the frame an answer's boxes are drawn on). Pixels a region
 * hidden since covers are never shown (withoutHiddenPixels), as they are never sent. Steps of the conversation queue.
 */
import { withoutHiddenPixels } from '../core/conversation/conversation-state.ts';
import { timelineOf } from '../core/tools/timeline.ts';
import type { ConversationContext } from './context.ts';

/** Sends the panel the current conversation's scenes since `since` (epoch ms), oldest first. */
export function emitTimeline(ctx: ConversationContext, since: number | undefined): void {
  const sinceMs = typeof since === 'number' && Number.isFinite(since) ? since : undefined;
  ctx.deps.broadcast({ type: 'timeline', scenes: timelineOf(ctx.session, sinceMs) });
}

/** Sends the panel one kept frame: its picture while it is held and may be shown, else its time and note only. */
export function emitFrame(ctx: ConversationContext, frameId: string): void {
  const frame = withoutHiddenPixels(ctx.session, ctx.sharing.hiddenSince).frames.find((f) => f.id === frameId);
  if (!frame) return ctx.deps.broadcast({ type: 'frame', frameId });
  ctx.deps.broadcast({
    type: 'frame',
    frameId,
    ...(frame.data ? { dataUrl: `data:${frame.mimeType};base64,${frame.data}` } : {}),
    capturedAt: frame.capturedAt,
    width: frame.width,
    height: frame.height,
    ...(frame.note ? { note: frame.note } : {}),
  });
}
