/**
 * The Live conversation's part of the capture protocol (capture.ts): the commands the background sends to the
 * page that holds the Live socket (Chrome's offscreen document), and what that page reports. The page runs the
 * socket, microphone and player (lib/live/); the background keeps the conversation (lib/conversation/live.ts).
 * Every message is plain JSON (it crosses a runtime Port).
 */
import type { LineStatus } from '../core/live/transcript.ts';
import type { LivePhase } from '../core/live/reconnect-types.ts';
import type { LiveTokens } from '../core/live/usage.ts';
import type { Usage } from '../core/types.ts';

/** What the page needs to open a Live conversation. */
export interface StartLive {
  /** The proxy's base URL; the SDK opens `{proxy}/ws/...BidiGenerateContent` there (or mints tokens there, `direct`). */
  proxyUrl: string;
  /** The proxy access token (the proxy swaps it for the key; the key never reaches the extension). */
  accessToken: string;
  /** A Live model, e.g. 'gemini-live-2.5-flash-preview'. */
  model: string;
  /**
   * Settings `liveDirect`: open each connection straight at Gemini with a one-use token the proxy mints for it
   * (lib/live/endpoint.ts), instead of through the proxy's relay.
   */
  direct?: boolean;
  /** A snapshot of the reconnect machine (lib/core/live/reconnect-snapshot.ts) to resume, or undefined for a new session. */
  resume?: string;
  /** Summary of the typed conversation so far, to seed a new session (or one whose handle was refused). */
  summary?: string;
  /** Start with the microphone muted. */
  muted?: boolean;
}

/** `ok: false` carries why, in words (microphone refused, no microphone...). */
export type StartLiveReply = { ok: true } | { ok: false; error: string };

/** Typed text said into the Live session; the page sends a fresh frame of the share first. */
export interface LiveText {
  text: string;
}

/** One transcript line as it changed: the whole text so far (not a delta), so a lost event costs nothing. */
export interface LiveLine {
  /** Line id, unique within one Live conversation (lib/core/live/transcript.ts). */
  id: number;
  role: 'user' | 'model';
  text: string;
  status: LineStatus;
  /** When the line's first words arrived (epoch ms). */
  startedAt: number;
}

/**
 * The background's record of a running Live conversation, in session storage so a restarted service worker
 * carries on: which conversation it belongs to, the reconnect snapshot (with the resumption handle) to resume
 * from if the page that held the socket is gone, and which turn each transcript line fills.
 */
export interface LiveRecord {
  conversationId: string;
  /** lib/core/live/reconnect-snapshot.ts; absent until the first connection reported one. */
  snapshot?: string;
  /** Transcript line id → the turn it is written into. */
  lines: [number, string][];
  /** The newest turn a person's words (or typed text) opened; the next answer goes there. */
  lastTurnId?: string;
  /** Turns that already have an answer line (a second answer opens a new turn). */
  answered: string[];
  muted: boolean;
  /** When Live started (epoch ms) and the conversation's usage then, for the cost per minute (LiveView). */
  startedAt?: number;
  usageAtStart?: Usage;
}

/** What the page holding the Live socket reports. */
export type LiveReport =
  /** The connection's phase changed; `notice` says what the panel should show (reconnecting...), or null. */
  | { type: 'live-phase'; phase: LivePhase; notice: string | null }
  /** The reconnect machine's snapshot (with the newest resumption handle), for the background's session storage. */
  | { type: 'live-saved'; snapshot: string }
  /** Microphone level 0..1 (RMS), a few times a second while listening. */
  | { type: 'live-level'; level: number }
  /** Transcript lines that changed: the person's words and the answer's output transcription. */
  | { type: 'live-lines'; lines: LiveLine[] }
  /** A turn ended (complete, interrupted or cut): its tokens, to add to the conversation's cost. */
  | { type: 'live-usage'; turn: LiveTokens }
  /** The conversation ended (by the person, or given up on); `reason` is a sentence, or absent when ended on purpose. */
  | { type: 'live-ended'; reason?: string };
