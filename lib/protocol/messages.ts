/**
 * The protocol between the side panel and the service worker (PANEL_PORT), and the frame and settings types
 * the capture protocol (capture.ts) shares. Every message is a member of a discriminated union; receivers
 * check it with the guards in panel-guards.ts, then switch on `type`.
 */
import type { ConversationView, SourceKind, Turn, Usage, UserError } from '../core/types.ts';
import type { Region } from '../core/frames/redaction.ts';
import type { LivePhase } from '../core/live/reconnect-types.ts';
import type { SoundClip } from '../core/audio/clip.ts';
import type { TimelineScene } from '../core/tools/timeline.ts';

/** Name of the long-lived port the panel opens to the service worker. */
export const PANEL_PORT = 'sightline-panel';

export type SharingStatus = 'off' | 'starting' | 'on' | 'paused';

export interface SharingState {
  status: SharingStatus;
  source?: SourceKind;
  /** Title of the shared tab, or a device label. */
  label?: string;
  /** The shared tab (source 'tab'), watched so sharing stops when it closes or navigates. */
  tabId?: number;
  /** Why sharing last stopped or paused by itself (tab closed, device gone, spend limit...). */
  endedReason?: string;
  /** Whose hidden regions apply: the shared tab's hostname, or 'camera' / 'screen'. */
  site?: string;
  /**
   * The capture hears the shared tab: its last minute of sound is kept in memory (never on disk) and can go
   * with a question. Nothing is recorded while paused. The sharing indicator says "sound" while this is true.
   */
  sound?: boolean;
  /** Why a shared tab is not heard, when it is not (Firefox: tab sound cannot be captured), to show beside the indicator. */
  soundNote?: string;
}

/**
 * The Live (voice) conversation as the panel shows it. `phase` is the connection's (lib/core/live/reconnect-types.ts),
 * or 'starting' while the microphone and the first connection open; 'open' is shown as Listening.
 */
export interface LiveView {
  phase: LivePhase | 'starting';
  muted: boolean;
  /** What to say about the connection now (Reconnecting…), or absent. */
  notice?: string;
  /** When this Live conversation started (epoch ms) and the conversation's usage then: the cost per minute's base. */
  startedAt?: number;
  usageAtStart?: Usage;
}

/** A past conversation in the panel's list. */
export interface ConversationSummary {
  id: string;
  title: string;
  createdAt: number;
  updatedAt: number;
}

/** The live thumbnail: the newest frame kept while sharing. */
export interface Thumbnail {
  /** `data:image/jpeg;base64,...` */
  dataUrl: string;
  /** Epoch milliseconds at which the frame was grabbed. */
  capturedAt: number;
}

/**
 * What the panel renders, derived once in the service worker: the panel shows it as it is and never works
 * out which turn is open, when the first words came or whether the thumbnail still applies.
 */
export interface PanelState {
  sharing: SharingState;
  session: ConversationView;
  /**
   * The turn of this conversation whose answer is on its way (waiting or streaming), if any. Undefined when
   * nothing is being answered: the ask box takes a question and "Stop answering" is hidden.
   */
  openTurnId?: string;
  /** A notice not tied to one turn (capture refused, proxy not configured, conversation not saved...). */
  notice?: UserError;
  /** Regions hidden in every frame of the current share (fractions of the frame). */
  redactions?: Region[];
  /** The Live conversation, while one runs; absent otherwise. */
  live?: LiveView;
}

// ---- panel -> service worker (over the PANEL_PORT port) ----
export type PanelCommand =
  | { type: 'share'; source: SourceKind }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop-sharing' }
  /**
   * closer: send a high-resolution reference frame with this question ("Look closer").
   * region: "point and ask", a region of the live thumbnail (fractions): a full-resolution crop of it goes with
   * the whole frame. withSound: send the last minute of the tab's sound (true), never (false), or when the
   * question asks about what was said (absent). pointBack: ask for boxes on the frame (true), never (false), or
   * when the question asks where something is (absent).
   */
  | { type: 'ask'; text: string; closer?: boolean; region?: Region; withSound?: boolean; pointBack?: boolean }
  /** Ask about an earlier scene of the timeline: the request carries that scene's frame, or its note once its pixels are gone. */
  | { type: 'ask-about-scene'; frameId: string; text: string }
  /** The conversation's scenes (answered with a 'timeline' event); `since` in epoch ms. */
  | { type: 'get-timeline'; since?: number }
  /** One kept frame's picture, for the timeline strip, a region's crop or the frame boxes are drawn on (answered with 'frame'). */
  | { type: 'get-frame'; frameId: string }
  /** Replaces the hidden regions of the shared site; applies to the running capture at once. */
  | { type: 'set-redactions'; regions: Region[] }
  | { type: 'list-conversations' }
  /** Reopen a past conversation to read and continue it. */
  | { type: 'open-conversation'; id: string }
  | { type: 'delete-conversation'; id: string }
  /** Stop sharing and delete every conversation, frame and hidden region stored. */
  | { type: 'delete-all' }
  | { type: 'stop-answer' }
  /**
   * The person started typing a question (sent on the first keystroke, then at most every few seconds): the
   * capture takes the question's frame ahead, and the connection to the model server is opened, so Enter
   * waits for neither when nothing changed on screen since.
   */
  | { type: 'typing' }
  | { type: 'new-conversation' }
  | { type: 'dismiss-notice' }
  /** Live mode: talk with Gemini about the share (the panel obtained the microphone permission first). */
  | { type: 'start-live' }
  | { type: 'end-live' }
  | { type: 'mute'; muted: boolean };

// ---- service worker -> panel ----
export type PanelEvent =
  | { type: 'state'; state: PanelState }
  /**
   * A turn added or changed (its status, its first words with firstTokenAt, its end): replaces the turn of
   * that id in the conversation shown, or is added at the end.
   */
  | { type: 'turn'; turn: Turn }
  /** More words of a streaming turn's answer: appended to that turn's answer, nothing else changes. */
  | { type: 'answer-delta'; turnId: string; text: string }
  /** The live thumbnail now shows this frame; absent: no thumbnail (sharing stopped). */
  | { type: 'thumbnail'; thumbnail?: Thumbnail }
  /** Past conversations, newest first (answer to list-sessions, and after one is deleted). */
  | { type: 'conversations'; sessions: ConversationSummary[] }
  /** The microphone's level 0..1 (RMS) while Live mode listens, a few times a second. */
  | { type: 'live-level'; level: number }
  /** The conversation's kept scenes, oldest first (answer to get-timeline). */
  | { type: 'timeline'; scenes: TimelineScene[] }
  /**
   * A kept frame (answer to get-frame): `dataUrl` is absent when its pixels are gone (not kept on disk, or
   * covered by a region hidden since it was captured), and then only its time and note can be shown.
   */
  | { type: 'frame'; frameId: string; dataUrl?: string; capturedAt?: number; width?: number; height?: number; note?: string };

/** A JPEG frame as it crosses from the offscreen document to the service worker. */
export interface FramePayload {
  capturedAt: number;
  width: number;
  height: number;
  /** Base64 JPEG (extension messages are JSON-serialised in Chrome). */
  data: string;
  /** Mean luminance 0..255, used to tell black frames (protected video) from real ones. */
  meanLuma: number;
  /** Milliseconds spent encoding. */
  encodeMs: number;
  /** False when a question's frame shows the same as the last frame kept. */
  changed: boolean;
  /**
   * capturedAt (epoch ms) of the frame the change detector compared this one with: the last frame this capture
   * kept. `changed` is relative to that frame, which may not have reached the conversation (still in flight on
   * the port, or dropped for a region hidden meanwhile), so "unchanged" only counts when it is the one held.
   */
  comparedWith?: number;
  /** The last minute of the shared tab's sound, when the grab asked for it and the capture hears the tab. */
  sound?: SoundClip;
  /** A crop (GrabOptions.crop): the part of the frame it shows, fractions, after growing to the minimum and clamping. */
  region?: Region;
}

export interface CaptureSettings {
  /** Highest sampling rate (frames per second), used while the scene changes. */
  fps: number;
  /** Lowest rate, reached while the scene stays still. */
  minFps: number;
  quality: number;
  maxSide: number;
  /** Regions blacked out in every frame before change detection and encoding. */
  redactions?: Region[];
}
