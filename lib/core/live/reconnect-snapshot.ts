// Saving and restoring the Live reconnect machine (reconnect.ts) across a service-worker restart:
// the resumption handle is kept in the worker's session storage, so a restarted worker resumes the
// same Gemini session (handles last about 2 h: https://ai.google.dev/gemini-api/docs/live-session).
import { initialLiveState } from './reconnect.ts';
import type { LiveState } from './reconnect-types.ts';

/**
 * The state as JSON for the service worker's session storage. Audio buffers are left out (they
 * live with the microphone's page, and a restarted worker has lost its sockets anyway).
 */
export function snapshot(state: LiveState): string {
  return JSON.stringify({ ...state, pending: [], unconfirmed: [], replay: [] });
}

/**
 * A machine from a snapshot, after the worker that held it restarted: its socket is gone, so an
 * active conversation comes back 'idle' (send `start` to resume it with the saved handle, or a
 * fresh session seeded with a summary if the handle is too old). A closed one stays closed.
 * Throws SyntaxError on text that is not a snapshot.
 */
export function restore(json: string): LiveState {
  const saved = JSON.parse(json) as Partial<LiveState>;
  if (typeof saved !== 'object' || saved === null || typeof saved.generation !== 'number' || typeof saved.phase !== 'string') {
    throw new SyntaxError('Not a Live connection snapshot.');
  }
  const s: LiveState = { ...initialLiveState(), ...saved, pending: [], unconfirmed: [], replay: [] };
  const active = s.phase !== 'idle' && s.phase !== 'closed';
  if (active) {
    if (s.phase === 'open' && s.speaking) s.speaking = false;
    s.phase = 'idle';
    s.seedSummary = s.seedSummary || (s.handle === null && s.stats.connects > 0);
  }
  s.retryAt = s.attemptDeadline = s.goAwayDeadline = s.wakeAt = null;
  s.offline = false;
  return s;
}
