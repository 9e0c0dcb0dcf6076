/**
 * What the panel shows, and how each event from the service worker changes it. Pure: no browser APIs.
 * Everything derived (which turn is open, when the first words came, whether the thumbnail still applies) is
 * worked out in the service worker (lib/conversation/) and arrives in the events; this only stores it.
 */
import type { PanelEvent, PanelState, ConversationSummary, Thumbnail } from '../protocol/messages.ts';
import type { Turn } from '../core/types.ts';
import type { TimelineScene } from '../core/tools/timeline.ts';

export type { Thumbnail } from '../protocol/messages.ts';

export type Connection = 'connecting' | 'open' | 'reconnecting';

export interface PanelView {
  /** Undefined until the service worker sends its first state. */
  state?: PanelState;
  /** The live thumbnail, as the service worker last sent it. */
  thumbnail?: Thumbnail;
  /** Past conversations, once the panel asked for them. */
  sessions?: ConversationSummary[];
  /** The microphone's newest level 0..1 while Live mode listens. */
  level?: number;
  /** The conversation's scenes, once the panel asked for them (get-timeline). */
  timeline?: TimelineScene[];
  /** Kept frames the panel asked for (get-frame), by id: crops, the frames boxes are drawn on, timeline thumbnails. */
  frames?: Record<string, Extract<PanelEvent, { type: 'frame' }>>;
  connection: Connection;
}

export const INITIAL_VIEW: PanelView = { connection: 'connecting' };

function mapTurns(state: PanelState, change: (turns: Turn[]) => Turn[]): PanelState {
  return { ...state, session: { ...state.session, turns: change(state.session.turns) } };
}

/** The view after one event from the service worker. Events for a turn the view does not show are ignored. */
export function applyPanelEvent(view: PanelView, event: PanelEvent): PanelView {
  switch (event.type) {
    case 'state':
      return { ...view, state: event.state };
    case 'turn': {
      if (!view.state) return view;
      const turn = event.turn;
      return {
        ...view,
        state: mapTurns(view.state, (turns) =>
          turns.some((t) => t.id === turn.id) ? turns.map((t) => (t.id === turn.id ? turn : t)) : [...turns, turn],
        ),
      };
    }
    case 'answer-delta': {
      if (!view.state || !view.state.session.turns.some((t) => t.id === event.turnId)) return view;
      return {
        ...view,
        state: mapTurns(view.state, (turns) => turns.map((t) => (t.id === event.turnId ? { ...t, answer: t.answer + event.text } : t))),
      };
    }
    case 'thumbnail':
      return { ...view, thumbnail: event.thumbnail };
    case 'conversations':
      return { ...view, sessions: event.sessions };
    case 'live-level':
      return { ...view, level: event.level };
    case 'timeline':
      return { ...view, timeline: event.scenes };
    case 'frame':
      return { ...view, frames: { ...view.frames, [event.frameId]: event } };
  }
}

/**
 * The turn whose answer is on its way, as the service worker said (PanelState.openTurnId); undefined once a
 * later event shows that turn finished.
 */
export function activeTurn(state: PanelState | undefined): Turn | undefined {
  if (!state?.openTurnId) return undefined;
  const turn = state.session.turns.find((t) => t.id === state.openTurnId);
  return turn && (turn.status === 'waiting' || turn.status === 'streaming') ? turn : undefined;
}

/**
 * The kept frames the panel shows and has not got yet: each turn's pointed-part crop, the frame its boxes are
 * drawn on and the scene it was asked about, and (while the timeline is open) each scene that still has a picture.
 */
export function framesWanted(view: PanelView, withTimeline: boolean): string[] {
  const ids = new Set<string>();
  for (const turn of view.state?.session.turns ?? []) {
    if (turn.region?.frameId) ids.add(turn.region.frameId);
    if (turn.boxes?.length && turn.boxesFrameId) ids.add(turn.boxesFrameId);
    if (turn.sceneFrameId) ids.add(turn.sceneFrameId);
  }
  if (withTimeline) for (const scene of view.timeline ?? []) if (scene.hasPicture) ids.add(scene.frameId);
  return [...ids].filter((id) => !view.frames?.[id]);
}
