/**
 * The capture protocol between the background (Chrome's service worker, Firefox's event page) and a page that
 * captures (Chrome's offscreen document; in Firefox the sidebar, or the panel opened as a tab). All of it goes
 * on one runtime Port per page, named CAPTURE_PORT, carried by lib/messaging/rpc.ts: commands from the
 * background, each with its typed reply, and events from the page.
 *
 * A port, not runtime.sendMessage: a message goes to one page instead of every extension page (Firefox must
 * address one of several pages; Chrome's broadcast also copied each frame into the panel), and a 60 KB message
 * made the round trip in 0.9 ms on a port against 2.5 ms by sendMessage (Chromium 156, median of 60).
 */
import type { CaptureSettings, FramePayload } from './messages.ts';
import type { SourceKind } from '../core/types.ts';
import type { Region } from '../core/frames/redaction.ts';
import type { LiveReport, LiveText, StartLive, StartLiveReply } from './live.ts';

export type { LiveLine, LiveReport, LiveText, StartLive, StartLiveReply } from './live.ts';

/** Name of the port a capturing page opens to the background. */
export const CAPTURE_PORT = 'sightline-capture';

/** What to capture, and how. */
export interface StartCapture extends CaptureSettings {
  source: SourceKind;
  /** tabCapture stream id (Chrome, source 'tab'). */
  streamId?: string;
  /** The tab's size in CSS pixels, so tab capture is not letterboxed to 800x600. */
  width?: number;
  height?: number;
}

/**
 * `ok: false` carries why, in words for the panel. `sound`: the capture hears the shared tab (its last minute is
 * kept in memory for questions); `soundNote`: why a shared tab is not heard, when it is not.
 */
export type StartReply = { ok: true; sound?: boolean; soundNote?: string } | { ok: false; error: string };

/** A frame taken now; by default the capture's own size and quality. */
export interface GrabOptions {
  /** Longest side (px); "Look closer" asks for a larger one. */
  maxSide?: number;
  /** JPEG quality, 0..1. */
  quality?: number;
  /**
   * Only this region of the picture (fractions of the frame), at full resolution up to maxSide, hidden regions
   * black in it (lib/core/region/crop.ts). A crop is never compared with other frames nor becomes the reference.
   */
  crop?: Region;
  /** Add the last minute of the shared tab's sound (FramePayload.sound), when the capture hears the tab. */
  withSound?: boolean;
}

export type GrabResult = { ok: true; frame: FramePayload } | { ok: false; error: string };

/** Lets a restarted background find a capture that kept running. */
export interface CaptureStatus {
  active: boolean;
  /** A Live conversation runs in the page. */
  live?: boolean;
  source?: SourceKind;
}

/** Background → capturing page: the commands of a capture, each with its request and reply. */
export interface FrameCommands {
  start(request: StartCapture): StartReply;
  stop(request: void): void;
  pause(request: { paused: boolean }): void;
  /** Frames per second: highest (while the scene changes) and lowest (while it stays still). */
  'set-rate'(request: { fps: number; minFps?: number }): void;
  /** Replaces the regions blacked out in every frame, from the next frame on. */
  'set-redactions'(request: { regions: Region[] }): void;
  grab(request: GrabOptions): GrabResult;
  /** A grab with these options is likely soon (the person is typing): take its frame ahead (FrameSampler.prepare). */
  prepare(request: GrabOptions): void;
  status(request: void): CaptureStatus;
  /**
   * The text in a frame (base64 JPEG), read by OCR in this page (lib/capture/page/ocr.ts), for a model that cannot
   * see pictures. `ok: false` carries why in words (the OCR files failed to load, the image did not decode).
   */
  ocr(request: { jpeg: string }): OcrResult;
}

/** What OCR read in a frame: its text ('' when none), or why it could not. */
export type OcrResult = { ok: true; text: string } | { ok: false; error: string };

/** Background → the page that holds the Live socket (Chrome's offscreen document, Firefox's sidebar). */
export interface LiveCommands {
  /** Opens the Live conversation in this page (socket, microphone, player): live.ts. */
  'start-live'(request: StartLive): StartLiveReply;
  /** Ends it: closes the socket, stops the microphone and playback. */
  'end-live'(request: void): void;
  /** Mutes or unmutes the microphone (nothing is sent while muted). */
  mute(request: { muted: boolean }): void;
  /** Typed text into the Live session, with a fresh frame of the share. */
  'live-text'(request: LiveText): void;
  /**
   * A kept frame of a share that runs elsewhere (Firefox: a tab sampled in the event page, while the sidebar holds
   * the socket), base64 JPEG: it goes as video like the page's own frames, at most once a second; with `now`, at
   * once (the fresh frame of a typed question, which goes before the text whatever the pacing says).
   */
  'live-frame'(request: { data: string; now?: boolean }): void;
}

/** Everything the background may ask a capturing page, on one port. */
export type CaptureCommands = FrameCommands & LiveCommands;

/** What a running capture reports (Firefox's tab capture produces the same inside the background). */
export type CaptureEvent =
  | { type: 'capture-started'; source: SourceKind; label?: string }
  | { type: 'frame'; frame: FramePayload }
  /** A sampled frame showed nothing new and was dropped (counted for the cost meter). */
  | { type: 'frame-dropped' }
  /** `error`: the capture could not start (a refusal), rather than ending after it ran. */
  | { type: 'capture-ended'; reason: string; error?: boolean }
  /** The Live conversation held by the page (live.ts). */
  | LiveReport;

/** Capturing page → background: events, without replies. */
export interface CaptureHostEvents {
  capture(event: CaptureEvent): void;
  /** When the person last clicked or typed in this page (ms since the epoch): the page they use gets a new capture. */
  engaged(request: { at: number }): void;
}
