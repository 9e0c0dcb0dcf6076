/** Test doubles for the conversation manager's seams (capture, stores, model, clock). Tests only. */
import type { LiveRecord } from '../../lib/protocol/live.ts';
import type { CaptureBackend, GrabOptions, StartRequest } from '../../lib/capture/backend.ts';
import type { Region } from '../../lib/core/frames/redaction.ts';
import type { FramePayload, PanelEvent, SharingState } from '../../lib/protocol/messages.ts';
import type { Conversation } from '../../lib/core/types.ts';
import type { SoundClip } from '../../lib/core/audio/clip.ts';
import type { ReadPageResult } from '../../lib/conversation/manager.ts';
import { normalizeSettings, type Settings } from '../../lib/core/settings.ts';
import type { StreamRequest, StreamResult } from '../../lib/transport/gemini.ts';
import { ConversationManager } from '../../lib/conversation/manager.ts';
import { toStored } from '../../lib/storage/sessions.ts';

export function payload(tag: string, at: number, meanLuma = 120, changed = true): FramePayload {
  return { capturedAt: at, width: 320, height: 180, data: Buffer.from(tag).toString('base64'), meanLuma, encodeMs: 3, changed };
}

/** The one clock of a test: the manager's now() and the capture's capturedAt read it; every read moves it 10 ms. */
export class FakeClock {
  time = 1_000_000;
  now = (): number => (this.time += 10);
}

export class FakeCapture implements CaptureBackend {
  active = false;
  paused = false;
  grabs = 0;
  /** Set by makeManager, so grabbed frames are on the test's clock. */
  clock = new FakeClock();
  nextGrab: () => FramePayload = () => payload(`grab-${this.grabs}`, this.clock.now());
  startError: Error | undefined;
  started: StartRequest[] = [];
  async start(req: StartRequest) {
    this.started.push(req);
    if (this.startError) throw this.startError;
    this.redactions = req.settings.redactions ?? [];
    this.active = true;
    return { label: 'Test tab', ...(this.hears !== undefined ? { sound: this.hears } : {}), ...(this.soundNote ? { soundNote: this.soundNote } : {}) };
  }
  async stop() { this.active = false; }
  async setPaused(p: boolean) { this.paused = p; }
  async setRate() {}
  /** Options of each grab, in order ({} for a plain question frame). */
  grabOptions: GrabOptions[] = [];
  /** Whether the capture hears the tab (Started.sound), and why not (soundNote). */
  hears: boolean | undefined = undefined;
  soundNote: string | undefined = undefined;
  /** The tab's sound a grab with withSound carries (when the capture hears the tab). */
  soundClip: SoundClip | undefined;
  /** The crop a grab with `crop` returns (default: a 600x400 picture tagged with the grab's number). */
  nextCrop: (opts: GrabOptions) => FramePayload = (opts) => ({ ...payload(`crop-${this.grabs}`, this.clock.now()), width: 600, height: 400, region: opts.crop });
  /** Hidden regions the running capture applies (set at start, replaced by setRedactions). */
  redactions: Region[] = [];
  async setRedactions(regions: Region[]) { this.redactions = regions; }
  async grab(opts?: GrabOptions) {
    this.grabs++;
    this.grabOptions.push(opts ?? {});
    if (opts?.crop) return this.nextCrop(opts);
    const frame = this.nextGrab();
    return opts?.withSound && this.hears && this.soundClip ? { ...frame, sound: this.soundClip } : frame;
  }
  /** Options of each prepare (a question being typed). */
  prepared: GrabOptions[] = [];
  async prepare(opts?: GrabOptions) { this.prepared.push(opts ?? {}); }
  async isActive() { return this.active; }
}

/** What the manager calls a model with. */
export interface ModelLike {
  call: (req: StreamRequest) => Promise<StreamResult>;
  summarize: (req: Omit<StreamRequest, 'onDelta'>) => Promise<StreamResult>;
}

/** A model that answers from the request, streaming word by word; or as scripted. */
export class FakeModel implements ModelLike {
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

/** One call of a ControlledModel: it streams only when the test says. */
export interface ControlledCall {
  req: StreamRequest;
  /** Streams more words. */
  say(words: string): void;
  /** Ends the answer with everything said (plus `tail`, e.g. the scene line). */
  end(tail?: string): void;
  fail(err: Error): void;
  /** The manager aborted the call. */
  readonly aborted: boolean;
}

/** A model whose answers stream on demand: each call waits for say/end/fail; aborting rejects it. */
export class ControlledModel implements ModelLike {
  calls: ControlledCall[] = [];
  summarize = new FakeModel().summarize;
  call = (req: StreamRequest): Promise<StreamResult> =>
    new Promise((resolve, reject) => {
      let text = '';
      let aborted = false;
      req.signal?.addEventListener('abort', () => {
        aborted = true;
        reject(new Error('The operation was aborted.'));
      });
      this.calls.push({
        req,
        say: (words) => {
          text += words;
          req.onDelta(words);
        },
        end: (tail = '') => resolve({ text: text + tail, usage: { promptTokens: 100, answerTokens: 5 } }),
        fail: reject,
        get aborted() {
          return aborted;
        },
      });
    });

  /** The nth call (from 0), once the manager has made it. */
  async nth(n: number): Promise<ControlledCall> {
    await until(() => this.calls.length > n, `model call ${n}`);
    return this.calls[n]!;
  }
}

/** Waits (a few macrotasks at a time) until `ok()`; fails the test after about a thousand turns. */
export async function until(ok: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (ok()) return;
    await new Promise((r) => setTimeout(r, 0));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A DOMException as IndexedDB throws it (QuotaExceededError, InvalidStateError). */
export function storageError(name: string, message = 'refused by the test'): Error {
  return new DOMException(message, name);
}

export class MemoryStores {
  session: Conversation | undefined;
  saves = 0;
  sharing: SharingState | undefined;
  settings: Settings = normalizeSettings({ proxyUrl: 'http://proxy', accessToken: 'tok' });
  /** Whether the person accepted the notice on what is sent. */
  consent = true;
  /** When set, every conversation read and write rejects with it (IndexedDB unavailable or full). */
  refuse: Error | undefined;
  private check(): void {
    if (this.refuse) throw this.refuse;
  }
  sessions = {
    load: async () => (this.check(), this.session),
    save: async (s: Conversation, keep: boolean) => {
      this.check();
      this.saves++;
      this.session = structuredClone(toStored(s, keep));
      this.all.set(s.id, this.session);
    },
  };
  /** Every conversation saved, by id (the library of past conversations). */
  all = new Map<string, Conversation>();
  library = {
    list: async () => (this.check(), [...this.all.values()].map(({ id, title, createdAt, updatedAt }) => ({ id, title, createdAt, updatedAt })).sort((a, b) => b.updatedAt - a.updatedAt)),
    load: async (id: string) => (this.check(), structuredClone(this.all.get(id))),
    delete: async (id: string) => { this.check(); this.all.delete(id); if (this.session?.id === id) this.session = undefined; },
    deleteAll: async () => { this.check(); this.all.clear(); this.session = undefined; },
  };
  /** Hidden regions by site, and when each site last hid more. */
  regions = new Map<string, Region[]>();
  hiddenSince: Record<string, number> = {};
  redactions = {
    load: async (site: string) => this.regions.get(site) ?? [],
    save: async (site: string, r: Region[]) => { this.regions.set(site, r); },
    loadHiddenSince: async () => ({ ...this.hiddenSince }),
    saveHiddenSince: async (site: string, at: number) => { this.hiddenSince[site] = at; },
    deleteAll: async () => { this.regions.clear(); this.hiddenSince = {}; },
  };
  /** Address of each tab, for the private-site list and per-site regions. */
  tabUrls = new Map<number, string>([[7, 'https://example.com/page']]);
  live: LiveRecord | null = null;
  liveStore = {
    load: async () => this.live,
    save: async (r: LiveRecord | null) => { this.live = r && structuredClone(r); },
  };
  /** What reading each tab's text gives (read_page), and the tabs read, in order. */
  pages = new Map<number, ReadPageResult>([[7, { ok: true, title: 'Example page', text: 'Hello from the example page.' }]]);
  pagesRead: number[] = [];
  readPage = async (tabId: number): Promise<ReadPageResult> => {
    this.pagesRead.push(tabId);
    return this.pages.get(tabId) ?? { ok: false, message: 'That tab cannot be read.' };
  };
  sharingStore = {
    load: async () => this.sharing,
    save: async (s: SharingState) => { this.sharing = s; },
  };
}

/** A manager on in-memory stores with a model that answers at once (FakeModel). */
export function makeManager(stores = new MemoryStores(), capture = new FakeCapture(), model = new FakeModel(), clock = new FakeClock()) {
  return build(stores, capture, model, clock);
}

/** A manager whose model streams only when the test says (ControlledModel). */
export function makeControlled(stores = new MemoryStores(), capture = new FakeCapture(), clock = new FakeClock()) {
  return build(stores, capture, new ControlledModel(), clock);
}

function build<M extends ModelLike>(stores: MemoryStores, capture: FakeCapture, model: M, clock: FakeClock) {
  const events: PanelEvent[] = [];
  /** The proxy URL of each warm-up the manager asked for (the person typing). */
  const warmUps: string[] = [];
  let ids = 0;
  capture.clock = clock;
  const manager = new ConversationManager({
    capture,
    settings: async () => stores.settings,
    sessions: stores.sessions,
    library: stores.library,
    sharing: stores.sharingStore,
    live: stores.liveStore,
    model: model.call,
    summarize: model.summarize,
    warmUp: (s: Settings) => void warmUps.push(s.proxyUrl),
    tabToShare: async () => 7,
    tabUrl: async (id: number) => stores.tabUrls.get(id),
    redactions: stores.redactions,
    consented: async () => stores.consent,
    readPage: stores.readPage,
    broadcast: (e) => events.push(e),
    now: clock.now,
    newId: () => `id${++ids}`,
  });
  const lastState = () => [...events].reverse().find((e) => e.type === 'state')?.state;
  /** A capture time after everything so far. */
  const at = () => clock.now();
  return { manager, stores, capture, model, events, lastState, clock, at, warmUps };
}
