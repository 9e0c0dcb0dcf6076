/** What the panel shows, and how each event from the service worker changes it. Pure: no browser APIs. */
import type { PanelEvent, PanelState, SessionSummary } from '../protocol/messages.ts';
import type { Turn } from '../core/types.ts';

export type Connection = 'connecting' | 'open' | 'reconnecting';

export interface Thumbnail {
  dataUrl: string;
  capturedAt: number;
}

export interface PanelView {
  /** Undefined until the service worker sends its first state. */
  state?: PanelState;
  thumbnail?: Thumbnail;
  /** Past conversations, once the panel asked for them. */
  sessions?: SessionSummary[];
  connection: Connection;
}

export const INITIAL_VIEW: PanelView = { connection: 'connecting' };

function mapTurns(state: PanelState, change: (turns: Turn[]) => Turn[]): PanelState {
  return { ...state, session: { ...state.session, turns: change(state.session.turns) } };
}

export function applyPanelEvent(view: PanelView, event: PanelEvent, now: number = Date.now()): PanelView {
  switch (event.type) {
    case 'state': {
      // A thumbnail of a share that has ended would claim we still see something.
      const thumbnail = event.state.sharing.status === 'off' ? undefined : view.thumbnail;
      return { ...view, state: event.state, thumbnail };
    }
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
        state: mapTurns(view.state, (turns) =>
          turns.map((t) =>
            t.id !== event.turnId
              ? t
              : {
                  ...t,
                  answer: t.answer + event.text,
                  status: t.status === 'waiting' ? 'streaming' : t.status,
                  firstTokenAt: t.firstTokenAt ?? now,
                },
          ),
        ),
      };
    }
    case 'thumbnail':
      if (view.state?.sharing.status === 'off') return view;
      return { ...view, thumbnail: { dataUrl: event.dataUrl, capturedAt: event.capturedAt } };
    case 'sessions':
      return { ...view, sessions: event.sessions };
  }
}

/** The turn whose answer is on its way, if any. */
export function activeTurn(state: PanelState | undefined): Turn | undefined {
  const last = state?.session.turns.at(-1);
  return last && (last.status === 'waiting' || last.status === 'streaming') ? last : undefined;
}
