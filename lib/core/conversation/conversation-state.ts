/** Small pure transformations of a Conversation (a conversation) used by lib/conversation/. */
import { BLACK_FRAME_LUMA } from '../frames/size.ts';
import type { Frame, Conversation, ConversationView, SourceKind, Turn } from '../types.ts';

/**
 * Frames whose pixels stay in memory at most; older ones keep only their time and scene note. Frames a summary
 * covers lose their pixels when it is applied (compaction.ts), so this is a backstop for a summary that keeps
 * failing: every frame since the summary stays in requests unchanged (history.ts), and a frame that lost its
 * pixels would change an earlier part of the request.
 */
export const FRAMES_WITH_PIXELS = 64;
/** Frames remembered at all (as notes) before the oldest are forgotten. */
export const MAX_FRAMES = 200;

export function addFrame(session: Conversation, frame: Frame): Conversation {
  const frames = [...session.frames, frame].slice(-MAX_FRAMES);
  const cut = frames.length - FRAMES_WITH_PIXELS;
  for (let i = 0; i < cut; i++) {
    const f = frames[i]!;
    if (f.data) frames[i] = { ...f, data: '' };
  }
  return { ...session, frames, framesKept: session.framesKept + 1, updatedAt: frame.capturedAt };
}

/**
 * Adds a question's frame; `session.turns` already ends with that question, and `changed` is the change
 * detector's verdict against the last frame kept (FramePayload.changed).
 * Unchanged, and the last frame kept was merely sampled and not sent yet, the sampled one is replaced: the model
 * gets one picture of the unchanged scene, the sharp one of "now". Unchanged, and the last frame kept is an
 * earlier question's (sent sharp already), the new frame is marked `sameAs` it, so the request says "unchanged
 * since" instead of paying for the same picture again (history.ts sends it anyway once that one is summarized).
 * `comparedWith` (FramePayload.comparedWith) is the capturedAt of the detector's reference frame; when given,
 * either shortcut needs `last` to be that very frame.
 */
export function addQuestionFrame(session: Conversation, frame: Frame, changed: boolean, comparedWith?: number): Conversation {
  const last = session.frames.at(-1);
  // "Unchanged" is relative to the capture's reference frame: it says nothing about `last` unless that is it.
  if (!changed && comparedWith !== undefined && last?.capturedAt !== comparedWith) return addFrame(session, frame);
  // A frame sampled before the previous question was in that question's request: replacing it would rewrite it.
  const unsent = (f: Frame) => f.capturedAt > (session.turns.at(-2)?.askedAt ?? -Infinity);
  if (!changed && last?.reason === 'sampled' && unsent(last)) {
    return addFrame({ ...session, frames: session.frames.slice(0, -1), framesKept: session.framesKept - 1 }, frame);
  }
  // A "Look closer" frame is always sent: it is sharper than any frame before it.
  if (!changed && last?.data && last.reason !== 'sampled' && frame.reason === 'question') {
    return addFrame(session, { ...frame, sameAs: last.sameAs ?? last.id });
  }
  return addFrame(session, frame);
}

/** After a restart, a turn still waiting or streaming was cut off: say so, keep what arrived. */
export function recoverInterrupted(session: Conversation, now: number): Conversation {
  let changed = false;
  const turns = session.turns.map((t) => {
    if (t.status !== 'waiting' && t.status !== 'streaming') return t;
    changed = true;
    return {
      ...t,
      status: 'error' as const,
      finishedAt: now,
      error: { kind: 'stream-dropped' as const, message: 'This answer was interrupted when the extension restarted. Ask again.' },
    };
  });
  return changed ? { ...session, turns } : session;
}

export function titleFor(question: string): string {
  const oneLine = question.replace(/\s+/g, ' ').trim();
  return oneLine.length > 60 ? `${oneLine.slice(0, 57)}…` : oneLine;
}

export function viewOf(session: Conversation): ConversationView {
  const { frames, ...rest } = session;
  return { ...rest, frameCount: frames.length };
}

/**
 * A kept Frame from an encoded frame's fields (the wire's FramePayload fits); `site` is whose hidden regions
 * the capture applied (SharingState.site).
 */
export function frameOf(
  p: Pick<Frame, 'capturedAt' | 'width' | 'height' | 'data'>,
  id: string,
  source: SourceKind,
  reason: Frame['reason'],
  site?: string,
): Frame {
  const frame: Frame = { id, capturedAt: p.capturedAt, width: p.width, height: p.height, mimeType: 'image/jpeg', data: p.data, source, reason };
  return site === undefined ? frame : { ...frame, site };
}

/**
 * Per site, when a change to its hidden regions last hid more than before (epoch milliseconds, the clock
 * frames' capturedAt is on). A frame of that site captured earlier was encoded without the new region.
 * The key ALL_SITES applies to every site.
 */
export type HiddenSince = Readonly<Record<string, number>>;

/** A hidden-since time that withholds every frame of the site (a new region not yet applied by the capture). */
export const HIDING = Number.MAX_SAFE_INTEGER;
/** The hidden-since key that applies to every site (the stored times could not be read). */
export const ALL_SITES = '*';

/**
 * Whether a frame may travel as pixels: not when a region hidden after it was captured covers what it shows.
 * A frame without a site (stored before frames recorded one) counts against the newest change of any site.
 */
export function mayShow(frame: Frame, hiddenSince: HiddenSince): boolean {
  const ofSite = frame.site !== undefined ? (hiddenSince[frame.site] ?? 0) : Math.max(0, ...Object.values(hiddenSince));
  return frame.capturedAt >= Math.max(ofSite, hiddenSince[ALL_SITES] ?? 0);
}

/**
 * The conversation as a request may see it: frames captured before a region of their site was hidden have no
 * pixels (they keep their time and scene note). Derived, never stored: the stored frames stay as taken, and
 * the rule holds after a restart because hiddenSince is kept on disk. Returns `session` itself when nothing
 * is withheld.
 */
export function withoutHiddenPixels(session: Conversation, hiddenSince: HiddenSince): Conversation {
  if (!session.frames.some((f) => f.data && !mayShow(f, hiddenSince))) return session;
  return { ...session, frames: session.frames.map((f) => (f.data && !mayShow(f, hiddenSince) ? { ...f, data: '' } : f)) };
}

/** Black frames in a row: a few mean a protected video (DRM) that the browser captures as black. */
export class BlackFrameWatch {
  private run = 0;
  /** 'ok' for a real frame; 'black' (not sent); 'warn' on the third black one in a row (say why, once). */
  check(meanLuma: number): 'ok' | 'black' | 'warn' {
    if (meanLuma >= BLACK_FRAME_LUMA) {
      this.run = 0;
      return 'ok';
    }
    return ++this.run === 3 ? 'warn' : 'black';
  }
}

export function patchTurn(session: Conversation, turnId: string, patch: Partial<Turn>, now: number): { session: Conversation; turn?: Turn } {
  let turn: Turn | undefined;
  const turns = session.turns.map((t) => (t.id === turnId ? (turn = { ...t, ...patch }) : t));
  return { session: { ...session, turns, updatedAt: now }, turn };
}

/** The model's scene note for the frame it answered about: the frame lives on as text once its pixels go. */
export function noteFrame(session: Conversation, frameId: string, note: string): Conversation {
  return { ...session, frames: session.frames.map((f) => (f.id === frameId ? { ...f, note } : f)) };
}
