// WebSocket close codes and microphone failures, in words a person can act on, plus what the
// reconnect machine should do about each close. Codes are RFC 6455 §7.4.1
// (https://www.rfc-editor.org/rfc/rfc6455#section-7.4.1); what the Live API means by them is from
// its reference and session guide (https://ai.google.dev/api/live,
// https://ai.google.dev/gemini-api/docs/live-session): 1007 an invalid argument in a client message,
// 1008 a refused key/token or policy, 1011 an internal server error.

/** What a close means for the conversation. */
export type CloseKind =
  /** Ended on purpose (1000 after we asked, or the person ended it). */
  | 'normal'
  /** Transient: reconnect, resuming with the handle (1001, 1006, 1011, 1012, 1013, 1014, ...). */
  | 'retry'
  /** The key, token or a policy refused us (1008): retry once with a fresh token, then stop. */
  | 'auth'
  /** A client message was invalid (1007): resending the same will fail again. */
  | 'bad-request'
  /** The chosen model has no Live API. */
  | 'model'
  /** Quota or rate limit: retry later. */
  | 'quota'
  /** The resumption handle was refused or has expired: start a new session from a summary. */
  | 'handle';

/** A close, classified, with a sentence for the panel. */
export interface CloseMeaning {
  code: number;
  kind: CloseKind;
  sentence: string;
}

// The server's reason is free text; these patterns pick out the cases that change what we do.
const MODEL_RE = /not (found|supported)[^.]*model|model[^.]*(not (found|supported)|does not support)|bidiGenerateContent is not supported/i;
const HANDLE_RE = /resum|handle|session (not found|expired)/i;
const QUOTA_RE = /quota|rate limit|resource[_ ]exhausted|too many/i;
const AUTH_RE = /api key|token|auth|permission|expired|unauthenti/i;

/** The server's reason, trimmed to one short clause for a sentence (a close reason is at most 123 bytes). */
function clause(reason: string): string {
  const r = reason.trim().replace(/\s+/g, ' ').slice(0, 123);
  return r ? ` (${r.replace(/\.$/, '')})` : '';
}

/**
 * Classifies a close of the Live socket and words it. `reason` is the close frame's reason text
 * (may be empty). `resuming` is true when the connection was opened with a resumption handle and
 * closed before `setupComplete`, which is how a refused handle shows.
 */
export function describeClose(code: number, reason = '', resuming = false): CloseMeaning {
  const why = clause(reason);
  if ((code === 1007 || code === 1008) && resuming && (HANDLE_RE.test(reason) || !AUTH_RE.test(reason))) {
    return { code, kind: 'handle', sentence: `Gemini could not resume the conversation${why}; starting a new session from a summary of it.` };
  }
  if ((code === 1007 || code === 1008) && MODEL_RE.test(reason)) {
    return { code, kind: 'model', sentence: `The chosen model cannot hold a Live conversation${why}. Choose a Live model in Settings.` };
  }
  if ((code === 1008 || code === 1011 || code === 1013) && QUOTA_RE.test(reason)) {
    return { code, kind: 'quota', sentence: `Gemini's usage limit was reached${why}. Live mode will try again shortly.` };
  }
  switch (code) {
    case 1000:
      return { code, kind: 'normal', sentence: 'The Live conversation ended.' };
    case 1007:
      return { code, kind: 'bad-request', sentence: `Gemini refused a message as a bad request (1007)${why}. End the conversation and start again; if it repeats, report it.` };
    case 1008:
      return { code, kind: 'auth', sentence: `Gemini refused the session (1008, policy or an expired or invalid token)${why}. Check the access token in Settings.` };
    case 1011:
      return { code, kind: 'retry', sentence: `Gemini had a server error (1011)${why}. Reconnecting.` };
    case 1006:
      return { code, kind: 'retry', sentence: 'The connection to Gemini dropped. Reconnecting.' };
    default:
      return { code, kind: 'retry', sentence: `The Live connection closed (code ${code})${why}. Reconnecting.` };
  }
}

/**
 * The sentence for a microphone failure, by the DOMException name getUserMedia rejected with
 * (https://developer.mozilla.org/en-US/docs/Web/API/MediaDevices/getUserMedia#exceptions), or
 * 'ended' when the track ended on its own (unplugged, permission revoked).
 */
export function micErrorSentence(name: string): string {
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'Microphone access was refused. Allow the microphone for Sightline (the Allow microphone page), then press Start talking again.';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No microphone was found. Plug one in, or choose another in your system settings, then press Start talking again.';
    case 'NotReadableError':
    case 'AbortError':
      return 'The microphone is in use by another application, or the system blocked it. Close the other application and try again.';
    case 'ended':
      return 'The microphone stopped (unplugged, or its permission was withdrawn). Live mode is paused.';
    default:
      return `The microphone could not start${name ? ` (${name})` : ''}. Try again, or choose another microphone.`;
  }
}
