/**
 * What the conversation manager needs from its surroundings (service worker, tests, benchmarks). Every
 * dependency is required: a wiring mistake is a type error, not a silent no-op. In-memory versions for tests
 * are in tests/support/manager-fakes.ts.
 */
import type { CaptureBackend } from '../capture/backend.ts';
import type { PanelEvent, ConversationSummary, SharingState } from '../protocol/messages.ts';
import type { LiveRecord } from '../protocol/live.ts';
import type { Settings } from '../core/settings.ts';
import type { StreamRequest, StreamResult } from '../transport/gemini.ts';
import type { SummarizeCall } from './compactor.ts';
import type { RedactionStore } from './sharing.ts';
import type { Conversation } from '../core/types.ts';
import { CROP_MAX_SIDE } from '../core/region/crop.ts';

export interface ManagerDeps {
  capture: CaptureBackend;
  settings: () => Promise<Settings>;
  /**
   * The conversation shown and continued. `save` writes it (frames' pixels only when keepFrames) and makes it
   * the one reopened after a restart. Either may reject (IndexedDB unavailable, over quota): the conversation
   * then lives in memory and the panel says once that it is not being saved.
   */
  sessions: { load(): Promise<Conversation | undefined>; save(s: Conversation, keepFrames: boolean): Promise<void> };
  /** Past conversations: list, reopen, delete. */
  library: ConversationLibrary;
  /** Where sharing stands, kept for a restarted service worker (session storage). */
  sharing: { load(): Promise<SharingState | undefined>; save(s: SharingState): Promise<void> };
  /** The running Live conversation's record, kept for a restarted service worker (session storage); null clears it. */
  live: { load(): Promise<LiveRecord | null>; save(r: LiveRecord | null): Promise<void> };
  /** The streamed answer call; rejects when the signal aborts. */
  model: (req: StreamRequest) => Promise<StreamResult>;
  /** The summary call of compaction (generateText). */
  summarize: SummarizeCall;
  /**
   * Opens the connection to the model server ahead of a question (the person is typing), so the question's
   * request finds one open instead of setting up TCP (and TLS) first. A hint: returns at once, never throws.
   */
  warmUp: (settings: Settings) => void;
  /** The tab the user invoked Sightline on (toolbar click), for "Share this tab". */
  tabToShare: () => Promise<number | undefined>;
  /** Address of the page a tab shows (private-site list, per-site hidden regions); undefined when unknown. */
  tabUrl: (tabId: number) => Promise<string | undefined>;
  /** Hidden regions per site, and when each site last hid more (lib/storage/redactions.ts). */
  redactions: RedactionStore;
  /** Whether the person accepted the notice on what is sent (lib/storage/consent.ts); sharing is refused before. */
  consented: () => Promise<boolean>;
  /**
   * The shared tab's title and rendered text, for the model's read_page (browser.scripting.executeScript in the
   * background, with the optional "scripting" permission). Never rejects: a refusal is a result with a sentence.
   * Called only for a shared tab that is not paused, not on a private site, and has no hidden regions.
   */
  readPage: (tabId: number) => Promise<ReadPageResult>;
  /** Sends an event to every open panel. */
  broadcast: (event: PanelEvent) => void;
  /** Epoch milliseconds; the clock frames' capturedAt is on. Default Date.now. */
  now?: () => number;
  /** A new unique id (turns, frames, conversations). Default crypto.randomUUID. */
  newId?: () => string;
}

export interface ConversationLibrary {
  /** Every stored conversation, newest first, without frames. */
  list(): Promise<ConversationSummary[]>;
  load(id: string): Promise<Conversation | undefined>;
  delete(id: string): Promise<void>;
  /** Every conversation, with its frames. */
  deleteAll(): Promise<void>;
}

/**
 * "Look closer" (the button and the look_closer tool): the tab at its own size up to 2560 px on the longer side, at
 * JPEG quality 0.9, so it is sharper than the question's frame (QUESTION_GRAB, 1536 px at 0.6) on every screen up to
 * 1440p; sent at the highest media resolution (lib/core/conversation/media-resolution.ts).
 */
export const CLOSER_GRAB = { maxSide: 2560, quality: 0.9 } as const;

/**
 * The question's frame, chosen by bench:legibility (docs/legibility.md): 1536 px on the longer side at JPEG quality
 * 0.6 read 94.4% of 1080p text (the lossless tab itself 95.2%, tesseract's ceiling on those pages) at 24 KB a frame
 * (33 KB at most); at 768 px, the sampled frames' size, it read 50 to 56%. Larger frames cost no more tokens on
 * Gemini 3 (billed by media resolution), more tiles on Gemini 2.x (media-resolution.ts counts them).
 */
export const QUESTION_GRAB = { maxSide: 1536, quality: 0.6 } as const;

/** Point and ask: the crop of a region, at full resolution up to the same size as "Look closer" (lib/core/region/crop.ts). */
export const REGION_GRAB = { maxSide: CROP_MAX_SIDE, quality: 0.9 } as const;

/**
 * What reading the shared tab's text gave (ManagerDeps.readPage): its title and rendered text, or why not in a
 * sentence; `permission` when the person has not allowed reading pages yet (the panel offers to allow it).
 */
export type ReadPageResult = { ok: true; title: string; text: string } | { ok: false; message: string; permission?: boolean };
