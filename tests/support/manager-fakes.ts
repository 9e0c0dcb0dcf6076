/** Test doubles for the session manager's seams (capture, stores, model). Tests only. */
import type { CaptureBackend, GrabOptions, StartRequest } from '../../lib/capture/backend.ts';
import type { Region } from '../../lib/core/frames/redaction.ts';
import type { FramePayload, PanelEvent, SharingState } from '../../lib/protocol/messages.ts';
import type { Session } from '../../lib/core/types.ts';
import { normalizeSettings, type Settings } from '../../lib/core/settings.ts';
import type { StreamRequest, StreamResult } from '../../lib/transport/gemini.ts';
import { SessionManager } from '../../lib/conversation/manager.ts';
import { toStored } from '../../lib/storage/sessions.ts';

export function payload(tag: string, at: number, meanLuma = 120, changed = true): FramePayload {
  return { capturedAt: at, width: 320, height: 180, data: Buffer.from(tag).toString('base64'), meanLuma, encodeMs: 3, changed };
}

export class FakeCapture implements CaptureBackend {
  active = false;
  paused = false;
  grabs = 0;
  nextGrab: () => FramePayload = () => payload(`grab-${this.grabs}`, Date.now());
  startError: Error | undefined;
  started: StartRequest[] = [];
  async start(req: StartRequest) {
    this.started.push(req);
    if (this.startError) throw this.startError;
    this.redactions = req.settings.redactions ?? [];
    this.active = true;
    return { label: 'Test tab' };
  }
  async stop() { this.active = false; }
  async setPaused(p: boolean) { this.paused = p; }
  async setRate() {}
  /** Options of each grab, in order ({} for a plain question frame). */
  grabOptions: GrabOptions[] = [];
  /** Hidden regions the running capture applies (set at start, replaced by setRedactions). */
  redactions: Region[] = [];
  async setRedactions(regions: Region[]) { this.redactions = regions; }
  async grab(opts?: GrabOptions) { this.grabs++; this.grabOptions.push(opts ?? {}); return this.nextGrab(); }
  async isActive() { return this.active; }
}

/** A model that answers from the request, streaming word by word; or as scripted. */
export class FakeModel {
  requests: StreamRequest[] = [];
  /** Summary calls (compaction), and how they answer. */
  summaryRequests: Array<Omit<StreamRequest, 'onDelta'>> = [];
  summaryScript: (req: Omit<StreamRequest, 'onDelta'>) => Promise<StreamResult> = async () => ({
    text: 'Earlier: the user asked about the screen.',
    usage: { promptTokens: 2000, answerTokens: 50 },
  });
  summarize = async (req: Omit<StreamRequest, 'onDelta'>): Promise<StreamResult> => {
    this.summaryRequests.push(req);
    return this.summaryScript(req);
  };
  script: ((req: StreamRequest) => Promise<StreamResult>) | undefined;
  call = async (req: StreamRequest): Promise<StreamResult> => {
    this.requests.push(req);
    if (this.script) return this.script(req);
    const words = ['You ', 'asked ', 'something.\nSCENE: a test scene'];
    for (const w of words) req.onDelta(w);
    return { text: words.join(''), usage: { promptTokens: 100, answerTokens: 5 } };
  };
}

export class MemoryStores {
  session: Session | undefined;
  saves = 0;
  sharing: SharingState | undefined;
  settings: Settings = normalizeSettings({ proxyUrl: 'http://proxy', accessToken: 'tok' });
  sessions = {
    load: async () => this.session,
    save: async (s: Session, keep: boolean) => {
      this.saves++;
      this.session = structuredClone(toStored(s, keep));
      this.all.set(s.id, this.session);
    },
  };
  /** Every conversation saved, by id (the library of past sessions). */
  all = new Map<string, Session>();
  library = {
    list: async () => [...this.all.values()].map(({ id, title, createdAt, updatedAt }) => ({ id, title, createdAt, updatedAt })).sort((a, b) => b.updatedAt - a.updatedAt),
    load: async (id: string) => structuredClone(this.all.get(id)),
    delete: async (id: string) => { this.all.delete(id); if (this.session?.id === id) this.session = undefined; },
    deleteAll: async () => { this.all.clear(); this.session = undefined; },
  };
  /** Hidden regions by site. */
  regions = new Map<string, Region[]>();
  redactions = {
    load: async (site: string) => this.regions.get(site) ?? [],
    save: async (site: string, r: Region[]) => { this.regions.set(site, r); },
    deleteAll: async () => { this.regions.clear(); },
  };
  /** Address of each tab, for the private-site list and per-site regions. */
  tabUrls = new Map<number, string>([[7, 'https://example.com/page']]);
  sharingStore = {
    load: async () => this.sharing,
    save: async (s: SharingState) => { this.sharing = s; },
  };
}

export function makeManager(stores = new MemoryStores(), capture = new FakeCapture(), model = new FakeModel()) {
  const events: PanelEvent[] = [];
  let clock = 1_000_000;
  let ids = 0;
  const manager = new SessionManager({
    capture,
    settings: async () => stores.settings,
    sessions: stores.sessions,
    library: stores.library,
    sharing: stores.sharingStore,
    model: model.call,
    summarize: model.summarize,
    tabToShare: async () => 7,
    tabUrl: async (id: number) => stores.tabUrls.get(id),
    redactions: stores.redactions,
    broadcast: (e) => events.push(e),
    now: () => (clock += 10),
    newId: () => `id${++ids}`,
  });
  const lastState = () => [...events].reverse().find((e) => e.type === 'state')?.state;
  return { manager, stores, capture, model, events, lastState };
}
