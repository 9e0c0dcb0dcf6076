/**
 * What the conversation manager needs from its surroundings (service worker, tests, benchmarks). Every
 * dependency is required: a wiring mistake is a type error, not a silent no-op. In-memory versions for tests
 * are in tests/support/manager-fakes.ts.
 */
import type { CaptureBackend } from '../capture/backend.ts';
import type { PanelEvent, SessionSummary, SharingState } from '../protocol/messages.ts';
import type { LiveRecord } from '../protocol/live.ts';
import type { Settings } from '../core/settings.ts';
import type { StreamRequest, StreamResult } from '../transport/gemini.ts';
import type { SummarizeCall } from './compactor.ts';
import type { RedactionStore } from './sharing.ts';
import type { Session } from '../core/types.ts';

export interface ManagerDeps {
  capture: CaptureBackend;
  settings: () => Promise<Settings>;
  /**
   * The conversation shown and continued. `save` writes it (frames' pixels only when keepFrames) and makes it
   * the one reopened after a restart. Either may reject (IndexedDB unavailable, over quota): the conversation
   * then lives in memory and the panel says once that it is not being saved.
   */
  sessions: { load(): Promise<Session | undefined>; save(s: Session, keepFrames: boolean): Promise<void> };
  /** Past conversations: list, reopen, delete. */
  library: SessionLibrary;
  /** Where sharing stands, kept for a restarted service worker (session storage). */
  sharing: { load(): Promise<SharingState | undefined>; save(s: SharingState): Promise<void> };
  /** The running Live conversation's record, kept for a restarted service worker (session storage); null clears it. */
  live: { load(): Promise<LiveRecord | null>; save(r: LiveRecord | null): Promise<void> };
  /** The streamed answer call; rejects when the signal aborts. */
  model: (req: StreamRequest) => Promise<StreamResult>;
  /** The summary call of compaction (generateText). */
  summarize: SummarizeCall;
  /** The tab the user invoked Sightline on (toolbar click), for "Share this tab". */
  tabToShare: () => Promise<number | undefined>;
  /** Address of the page a tab shows (private-site list, per-site hidden regions); undefined when unknown. */
  tabUrl: (tabId: number) => Promise<string | undefined>;
  /** Hidden regions per site, and when each site last hid more (lib/storage/redactions.ts). */
  redactions: RedactionStore;
  /** Whether the person accepted the notice on what is sent (lib/storage/consent.ts); sharing is refused before. */
  consented: () => Promise<boolean>;
  /** Sends an event to every open panel. */
  broadcast: (event: PanelEvent) => void;
  /** Epoch milliseconds; the clock frames' capturedAt is on. Default Date.now. */
  now?: () => number;
  /** A new unique id (turns, frames, conversations). Default crypto.randomUUID. */
  newId?: () => string;
}

export interface SessionLibrary {
  /** Every stored conversation, newest first, without frames. */
  list(): Promise<SessionSummary[]>;
  load(id: string): Promise<Session | undefined>;
  delete(id: string): Promise<void>;
  /** Every conversation, with its frames. */
  deleteAll(): Promise<void>;
}

/** "Look closer": a reference frame twice as detailed as the sampled ones, sharper too. */
export const CLOSER_GRAB = { maxSide: 1536, quality: 0.9 } as const;
