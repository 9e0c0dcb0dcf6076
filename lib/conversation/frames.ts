/**
 * Frames into the conversation: sampled ones from the running capture, and the frame of "now" taken when a
 * question is asked. Each frame records whose hidden regions it was encoded under (its site), so a region
 * hidden later keeps it from being sent (withoutHiddenPixels). Steps of the conversation queue only.
 */
import type { FramePayload } from '../protocol/messages.ts';
import { addFrame, addQuestionFrame, frameOf, mayShow } from '../core/conversation/conversation-state.ts';
import type { Frame } from '../core/types.ts';
import type { Region } from '../core/frames/redaction.ts';
import type { SoundClip } from '../core/audio/clip.ts';
import type { ConversationContext } from './context.ts';
import { CLOSER_GRAB, QUESTION_GRAB, REGION_GRAB } from './manager-deps.ts';

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

/** What a question's grab brought: the frame's id (undefined when none was taken) and the tab's sound if asked for. */
export interface QuestionGrab {
  frameId?: string;
  sound?: SoundClip;
}

/**
 * The frame of "now": taken when the question is asked, never an older sampled one; "Look closer" asks for a
 * larger, sharper one; withSound asks for the tab's last minute of sound with it; sendWhole sends it as a picture
 * even when it shows what an earlier frame showed (a region question). None while paused or off, or when it is
 * black. A failed grab says so in a notice.
 */
export async function grabQuestionFrame(ctx: ConversationContext, closer: boolean, withSound = false, sendWhole = false): Promise<QuestionGrab> {
  return keepQuestionFrame(ctx, await takeQuestionFrame(ctx, closer, withSound), closer, sendWhole);
}

/**
 * Starts taking the frame of now, so the ask can start it before anything else it does (the panel's state, the
 * save): on a 2-core machine those took 10 to 12 ms before the grab was even sent (bench:e2e's timeline). Resolves
 * with the frame, the Error that kept it from being taken, or undefined while sharing is not on; never rejects.
 */
export function takeQuestionFrame(ctx: ConversationContext, closer: boolean, withSound = false): Promise<FramePayload | Error | undefined> {
  if (ctx.sharing.state.status !== 'on') return Promise.resolve(undefined);
  return ctx.sharing
    .grab({ ...(closer ? CLOSER_GRAB : QUESTION_GRAB), ...(withSound ? { withSound } : {}) })
    .catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))));
}

/** Keeps a frame takeQuestionFrame brought as the question's (see grabQuestionFrame), or says why there is none. */
export function keepQuestionFrame(ctx: ConversationContext, taken: FramePayload | Error | undefined, closer: boolean, sendWhole = false): QuestionGrab {
  if (taken === undefined || ctx.sharing.state.status !== 'on') return {};
  if (taken instanceof Error) {
    ctx.notice = { kind: 'no-frame', message: `No frame was sent with this question: ${taken.message}` };
    ctx.emitState();
    return {};
  }
  // The sound is not the picture: a black frame (protected video) may still come with what was said.
  const sound = taken.sound;
  if (!notBlack(ctx, taken)) return sound ? { sound } : {};
  const frame = toFrame(ctx, taken, closer ? 'closer' : 'question');
  // A region's crop is read against the whole frame right after it: never "unchanged since" an earlier one.
  ctx.session = addQuestionFrame(ctx.session, frame, taken.changed || sendWhole, taken.comparedWith);
  ctx.showThumbnail(taken);
  return { frameId: frame.id, ...(sound ? { sound } : {}) };
}

/**
 * Point and ask: a full-resolution crop of `region` (fractions of the frame), hidden regions black in it, kept
 * as a frame of reason 'region' (never the thumbnail, never compared with other frames). Returns it, with the
 * region actually cut (grown to the minimum size and clamped); undefined when it could not be taken (a notice says why).
 */
export async function grabRegionCrop(ctx: ConversationContext, region: Region): Promise<{ frame: Frame; area: Region } | undefined> {
  if (ctx.sharing.state.status !== 'on') return undefined;
  try {
    // Not counted by the black-frame watch: a crop of a dark corner, or of a hidden region, is black for a reason.
    const payload = await ctx.sharing.grab({ ...REGION_GRAB, crop: region });
    const frame = toFrame(ctx, payload, 'region');
    ctx.session = addFrame(ctx.session, frame);
    return { frame, area: payload.region ?? region };
  } catch (err) {
    ctx.notice = { kind: 'no-frame', message: `The region you pointed at could not be cut out, so the whole frame went alone: ${(err as Error).message}` };
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
