/**
 * Frames into the conversation: sampled ones from the running capture, and the frame of "now" taken when a
 * question is asked. Each frame records whose hidden regions it was encoded under (its site), so a region
 * hidden later keeps it from being sent (withoutHiddenPixels). Steps of the conversation queue only.
 */
import type { FramePayload } from '../protocol/messages.ts';
import { addFrame, addQuestionFrame, frameOf, mayShow } from '../core/conversation/conversation-state.ts';
import type { Frame } from '../core/types.ts';
import type { ConversationContext } from './context.ts';
import { CLOSER_GRAB } from './manager-deps.ts';

const BLACK_FRAMES =
  'What you share shows as black. Protected videos (DRM) cannot be captured; Sightline sees only black there.';

/**
 * A sampled frame: kept (and shown as the thumbnail) while sharing is on and it is not black. One captured
 * before a region was hidden but delivered after is not kept: it could never be sent, and as the thumbnail
 * it would show what was just hidden.
 */
export function frameArrived(ctx: ConversationContext, payload: FramePayload): void {
  if (ctx.sharing.state.status !== 'on') return;
  const frame = toFrame(ctx, payload, 'sampled');
  if (!mayShow(frame, ctx.sharing.hiddenSince)) return;
  if (!notBlack(ctx, payload)) return;
  ctx.session = addFrame(ctx.session, frame);
  ctx.showThumbnail(payload);
}

/** The capture dropped a frame that showed no change: counted for the cost meter. */
export function frameDropped(ctx: ConversationContext): void {
  ctx.session = { ...ctx.session, framesDropped: ctx.session.framesDropped + 1 };
}

/**
 * The frame of "now": taken when the question is asked, never an older sampled one; "Look closer" asks for a
 * larger, sharper one. None while paused or off, or when it is black. A failed grab says so in a notice.
 * Returns the frame's id.
 */
export async function grabQuestionFrame(ctx: ConversationContext, closer: boolean): Promise<string | undefined> {
  if (ctx.sharing.state.status !== 'on') return undefined;
  try {
    const payload = await ctx.sharing.grab(closer ? CLOSER_GRAB : undefined);
    if (!notBlack(ctx, payload)) return undefined;
    const frame = toFrame(ctx, payload, closer ? 'closer' : 'question');
    ctx.session = addQuestionFrame(ctx.session, frame, payload.changed, payload.comparedWith);
    ctx.showThumbnail(payload);
    return frame.id;
  } catch (err) {
    ctx.notice = { kind: 'no-frame', message: `No frame was sent with this question: ${(err as Error).message}` };
    ctx.emitState();
    return undefined;
  }
}

/** False for a black frame (not kept); the third in a row says why (a protected video). */
function notBlack(ctx: ConversationContext, payload: FramePayload): boolean {
  const verdict = ctx.blackFrames.check(payload.meanLuma);
  if (verdict === 'warn') {
    ctx.notice = { kind: 'black-frames', message: BLACK_FRAMES };
    ctx.emitState();
  }
  return verdict === 'ok';
}

function toFrame(ctx: ConversationContext, p: FramePayload, reason: Frame['reason']): Frame {
  const { source, site } = ctx.sharing.state;
  return frameOf(p, ctx.newId(), source ?? 'tab', reason, site);
}
