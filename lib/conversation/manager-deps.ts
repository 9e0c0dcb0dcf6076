/** What the session manager needs from its surroundings (service worker, tests, benchmarks). */
import type { CaptureBackend } from '../capture/backend.ts';
import type { PanelEvent, SessionSummary, SharingState } from '../protocol/messages.ts';
import type { Settings } from '../core/settings.ts';
import type { StreamRequest, StreamResult } from '../transport/gemini.ts';
import type { SummarizeCall } from './compactor.ts';
import type { RedactionStore } from './sharing.ts';
import type { Session } from '../core/types.ts';

export interface ManagerDeps {
  capture: CaptureBackend;
  settings: () => Promise<Settings>;
  sessions: { load(): Promise<Session | undefined>; save(s: Session, keepFrames: boolean): Promise<void> };
  /** Past conversations: list, reopen, delete (absent: the panel's list stays empty). */
  library?: SessionLibrary;
  sharing: { load(): Promise<SharingState | undefined>; save(s: SharingState): Promise<void> };
  model: (req: StreamRequest) => Promise<StreamResult>;
  /** The summary call of compaction (generateText); absent, sessions are never compacted. */
  summarize?: SummarizeCall;
  /** The tab the user invoked Sightline on (toolbar click), for "Share this tab". */
  tabToShare: () => Promise<number | undefined>;
  /** Address of the page a tab shows (private-site list, per-site hidden regions). */
  tabUrl?: (tabId: number) => Promise<string | undefined>;
  redactions?: RedactionStore;
  broadcast: (event: PanelEvent) => void;
  now?: () => number;
  newId?: () => string;
}

export interface SessionLibrary {
  list(): Promise<SessionSummary[]>;
  load(id: string): Promise<Session | undefined>;
  delete(id: string): Promise<void>;
  /** Every conversation, with its frames. */
  deleteAll(): Promise<void>;
}

/** "Look closer": a reference frame twice as detailed as the sampled ones, sharper too. */
export const CLOSER_GRAB = { maxSide: 1536, quality: 0.9 } as const;
