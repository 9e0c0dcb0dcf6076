/**
 * The capture seam: what the session manager needs from "something that shares pixels".
 * Chrome implements it with tabCapture + an offscreen document; Firefox with captureVisibleTab and
 * its sidebar. A Live (voice) mode will add an audio track behind the same seam.
 */
import type { CaptureSettings, FramePayload } from '../protocol/messages.ts';
import type { CaptureEvent, GrabOptions, StartLive } from '../protocol/capture.ts';
import type { SourceKind } from '../core/types.ts';
import type { Region } from '../core/frames/redaction.ts';

export interface StartRequest {
  source: SourceKind;
  /** The tab to share (source 'tab'). */
  tabId?: number;
  settings: CaptureSettings;
}

export type { GrabOptions };

/**
 * The Live (voice) conversation, held by a page (Chrome's offscreen document, Firefox's sidebar). Its reports
 * arrive through `listen` with the capture's events. Every method rejects with a sentence when the page cannot
 * be reached; `start` also when the microphone is refused, missing or busy.
 */
export interface LiveBackend {
  start(req: StartLive): Promise<void>;
  end(): Promise<void>;
  setMuted(muted: boolean): Promise<void>;
  /** Typed text into the session; the page sends a fresh frame with it. */
  sendText(text: string): Promise<void>;
  /** After a service-worker restart: is the page still holding the conversation? */
  isActive(): Promise<boolean>;
}

/** What a started capture says about itself. */
export interface Started {
  /** Tab title or device name. */
  label?: string;
  /** It hears the shared tab (SharingState.sound). */
  sound?: boolean;
  /** Why a shared tab is not heard, in a sentence (SharingState.soundNote). */
  soundNote?: string;
}

export interface CaptureBackend {
  /** Starts sharing; resolves with a label (tab title, device name) and whether it hears the tab, or rejects with a reason in words. */
  start(req: StartRequest): Promise<Started>;
  stop(): Promise<void>;
  setPaused(paused: boolean): Promise<void>;
  setRate(fps: number, minFps: number): Promise<void>;
  /**
   * A frame of what is shown right now; maxSide/quality ask for a larger, sharper one ("Look closer"), crop for a
   * region at full resolution, withSound for the tab's last minute of sound with it.
   */
  grab(opts?: GrabOptions): Promise<FramePayload>;
  /**
   * A grab with these options is likely soon (the person is typing a question): the backend may take its frame
   * ahead, so that grab reuses it when nothing changed since. A hint: resolves when done or skipped, never
   * rejects. Optional: a backend without it takes every frame at the grab.
   */
  prepare?(opts?: GrabOptions): Promise<void>;
  /** After a service-worker restart: is a capture still running? */
  isActive(): Promise<boolean>;
  /**
   * Replaces the regions blacked out in every frame of the running capture (also passed at start in
   * settings.redactions). Optional so a backend can come later; without it the manager pauses sharing
   * rather than send what the user hid.
   */
  setRedactions?(regions: Region[]): Promise<void>;
  /**
   * Where the backend delivers what captures report (frames, drops, ends), whether they run in a page
   * (offscreen document, Firefox sidebar: over CAPTURE_PORT) or in the background itself (Firefox's tab).
   * Optional only so test doubles may leave it out; both browser backends implement it.
   */
  listen?(sink: (event: CaptureEvent) => void): void;
  /**
   * The text in a frame (base64 JPEG), read by OCR where the capture runs (a page that can start Workers), for a
   * model that cannot see pictures. Rejects with a sentence when it cannot (nothing captures, OCR failed).
   * Optional: without it a text-only model is told a picture was left out.
   */
  ocr?(jpegBase64: string): Promise<string>;
  /** Live mode (Chrome: the offscreen document; Firefox: the sidebar); absent: the panel says it is not available. */
  live?: LiveBackend;
}
