/**
 * Sharing as the conversation manager sees it: start (only after the notice was accepted), pause, resume,
 * stop; the hidden regions of the shared site and, per site, since when older frames must not be sent;
 * pausing by itself on a private site or when something (the spend limit) holds it. Browser APIs arrive injected.
 */
import type { CaptureBackend, GrabOptions } from '../capture/backend.ts';
import type { FramePayload, SharingState } from '../protocol/messages.ts';
import type { Settings } from '../core/settings.ts';
import { hidesMore, normalizeRegions, type Region } from '../core/frames/redaction.ts';
import { hostnameOf, matchPrivateSite, siteKeyFor } from '../core/private-sites.ts';
import { ALL_SITES, HIDING } from '../core/conversation/conversation-state.ts';
import type { SourceKind, UserError } from '../core/types.ts';

/** Longest side of sampled frames (768 px: a tile's worth of detail at 258 tokens). */
export const MAX_SIDE = 768;

export const NAVIGATED_AWAY = 'The shared tab went to another page, so sharing stopped. Share it again to continue.';

/** Hidden regions per site (a hostname, 'camera' or 'screen'), kept across restarts. */
export interface RedactionStore {
  /** The site's regions; [] when none. */
  load(site: string): Promise<Region[]>;
  save(site: string, regions: Region[]): Promise<void>;
  /**
   * Per site, when a change to its regions last hid more (epoch ms; HIDING while one is being applied, see
   * lib/core/conversation/conversation-state.ts). Frames of the site captured earlier are never sent. {} when none.
   */
  loadHiddenSince(): Promise<Record<string, number>>;
  saveHiddenSince(site: string, at: number): Promise<void>;
  /** Every site's regions and times. */
  deleteAll(): Promise<void>;
}

export const CONSENT_NEEDED: UserError = {
  kind: 'consent',
  message: 'Nothing is shared before you accept the notice on what is sent and where: read it, press "I understand", then share again.',
};

export interface SharingDeps {
  capture: CaptureBackend;
  settings: () => Promise<Settings>;
  store: { load(): Promise<SharingState | undefined>; save(s: SharingState): Promise<void> };
  tabToShare: () => Promise<number | undefined>;
  /** Address of the page a tab shows, for the private-site list and the site's hidden regions. */
  tabUrl: (tabId: number) => Promise<string | undefined>;
  redactions: RedactionStore;
  /** Whether the person accepted the notice on what is sent; nothing starts before. */
  consented: () => Promise<boolean>;
  /** Epoch milliseconds, on the clock of frames' capturedAt. */
  now: () => number;
  /** The state or the hidden regions changed: tell the panel. */
  changed: () => void;
  /** Say something to the user; undefined clears what was said. */
  notify: (notice: UserError | undefined) => void;
  /** A reason sharing may not run now (the spend limit is reached), checked when it starts or resumes. */
  hold: () => Promise<UserError | null>;
}

export function privateSiteNotice(host: string): UserError {
  return {
    kind: 'private-site',
    message: `Sharing is paused: ${host} is on your list of private sites (Settings), so nothing from it is sent. Press Resume to share it anyway.`,
  };
}

export class Sharing {
  state: SharingState = { status: 'off' };
  /** Regions hidden in every frame of the current share. */
  redactions: Region[] = [];
  /** Per site, frames captured before this time (epoch ms) are not sent (lib/core/conversation/conversation-state.ts). */
  hiddenSince: Record<string, number> = {};
  private deps: SharingDeps;

  constructor(deps: SharingDeps) {
    this.deps = deps;
  }

  get live(): boolean {
    return this.state.status === 'on' || this.state.status === 'paused';
  }

  /** After a (re)start of the service worker: where sharing stands, its regions, and the hidden-since times. */
  async restore(): Promise<void> {
    const stored = (await this.deps.store.load().catch(() => undefined)) ?? { status: 'off' };
    // A restarted worker trusts the capture itself, not its own last word.
    const alive = stored.status !== 'off' && (await this.deps.capture.isActive().catch(() => false));
    this.state = stored.status !== 'off' && !alive ? { status: 'off' } : stored;
    if (this.live && this.state.site) this.redactions = await this.loadRegions(this.state.site);
    try {
      this.hiddenSince = { ...(await this.deps.redactions.loadHiddenSince()) };
    } catch {
      // Unknown: no frame captured before now is sent.
      this.hiddenSince = { [ALL_SITES]: this.deps.now() };
    }
    // The worker stopped while a newly hidden region was being applied: apply it to a running capture again.
    const site = this.state.site;
    if (this.live && site && this.hiddenSince[site] === HIDING && this.deps.capture.setRedactions) {
      await this.deps.capture.setRedactions(this.redactions);
      await this.markHidden(site, this.deps.now());
    }
  }

  /** Starts sharing `source`, replacing a running share; refused, with a notice, before consent. */
  async share(source: SourceKind): Promise<void> {
    if (!(await this.deps.consented().catch(() => false))) {
      this.deps.notify(CONSENT_NEEDED);
      return this.deps.changed();
    }
    if (this.live) await this.deps.capture.stop();
    const settings = await this.deps.settings();
    this.deps.notify(undefined);
    await this.set({ status: 'starting', source });
    try {
      const tabId = source === 'tab' ? await this.deps.tabToShare() : undefined;
      const host = tabId !== undefined ? hostnameOf(await this.deps.tabUrl(tabId).catch(() => undefined)) : undefined;
      const site = siteKeyFor(source, host);
      this.redactions = await this.loadRegions(site);
      const { label, sound, soundNote } = await this.deps.capture.start({
        source,
        tabId,
        settings: { fps: settings.fps, minFps: settings.minFps, quality: settings.quality, maxSide: MAX_SIDE, redactions: this.redactions },
      });
      // The capture may have ended (and said why) while start() was in flight.
      if (this.state.status !== 'starting') return;
      // A region hidden while no capture could apply it is in force from here on.
      if (this.hiddenSince[site] === HIDING) await this.markHidden(site, this.deps.now());
      const listed = source === 'tab' && host && matchPrivateSite(host, settings.privateSites ?? []);
      const held = listed ? privateSiteNotice(host) : await this.deps.hold();
      if (held) {
        await this.deps.capture.setPaused(true);
        this.deps.notify(held);
      }
      const hearing = { ...(sound !== undefined ? { sound } : {}), ...(soundNote ? { soundNote } : {}) };
      await this.set({ status: held ? 'paused' : 'on', source, label, tabId, site, ...hearing });
    } catch (err) {
      const reason = (err as Error).message || String(err);
      this.deps.notify({ kind: 'capture-refused', message: reason });
      await this.set({ status: 'off', endedReason: reason });
    }
  }

  async setPaused(paused: boolean): Promise<void> {
    const s = this.state;
    if (!this.live) return;
    if (!paused) {
      const held = await this.deps.hold();
      if (held) {
        this.deps.notify(held);
        return this.deps.changed();
      }
    }
    await this.deps.capture.setPaused(paused);
    await this.set({ ...s, status: paused ? 'paused' : 'on', endedReason: undefined });
  }

  /** Pauses by itself and says why (spend limit reached, a private site, regions that could not be applied). */
  async pauseFor(notice: UserError): Promise<void> {
    if (this.state.status !== 'on') return;
    await this.deps.capture.setPaused(true);
    this.deps.notify(notice);
    await this.set({ ...this.state, status: 'paused' });
  }

  async stop(reason?: string): Promise<void> {
    await this.deps.capture.stop();
    if (reason) this.deps.notify({ kind: 'capture-ended', message: reason });
    this.redactions = [];
    await this.set({ status: 'off', endedReason: reason });
  }

  /** The capture ended by itself (tab closed, device gone, user stopped it in the browser UI). */
  async ended(reason: string, refused: boolean): Promise<void> {
    if (this.state.status === 'off') return;
    this.deps.notify({ kind: refused ? 'capture-refused' : 'capture-ended', message: reason });
    this.redactions = [];
    await this.set({ status: 'off', endedReason: reason });
  }

  /** The shared tab loaded another page: a listed site pauses (with its own hidden regions ready); others stop. */
  async navigated(url: string): Promise<void> {
    if (!this.live) return;
    const host = hostnameOf(url);
    const settings = await this.deps.settings();
    if (!host || !matchPrivateSite(host, settings.privateSites ?? [])) return this.stop(NAVIGATED_AWAY);
    const site = siteKeyFor('tab', host);
    await this.deps.capture.setPaused(true);
    this.redactions = await this.loadRegions(site);
    await this.deps.capture.setRedactions?.(this.redactions);
    this.deps.notify(privateSiteNotice(host));
    await this.set({ ...this.state, status: 'paused', site });
  }

  /**
   * Replaces the shared site's hidden regions, stores them and applies them to the running capture. When more
   * is hidden than before, the site's hidden-since time moves to when the capture applied them: frames
   * captured earlier are never sent, also after a restart. It is HIDING (everything withheld) until then.
   */
  async setRedactions(regions: Region[]): Promise<void> {
    const site = this.state.site;
    if (!this.live || !site) return;
    const next = normalizeRegions(regions);
    const more = hidesMore(this.redactions, next);
    if (more) await this.markHidden(site, HIDING);
    this.redactions = next;
    await this.deps.redactions.save(site, next);
    if (this.deps.capture.setRedactions) {
      await this.deps.capture.setRedactions(next);
      if (more) await this.markHidden(site, this.deps.now());
    } else if (more) {
      await this.pauseFor({ kind: 'redaction', message: 'Share again to apply the new hidden region; sharing is paused until then.' });
    }
    this.deps.changed();
  }

  /** "Delete all": every site's regions and hidden-since times go (with every frame they applied to). */
  async forgetRegions(): Promise<void> {
    this.redactions = [];
    this.hiddenSince = {};
    await this.deps.redactions.deleteAll();
  }

  async rate(settings: Settings): Promise<void> {
    if (this.live) await this.deps.capture.setRate(settings.fps, settings.minFps);
  }

  grab(opts?: GrabOptions): Promise<FramePayload> {
    return this.deps.capture.grab(opts);
  }

  /** A grab with these options is likely soon: the capture may take its frame ahead. Never rejects. */
  async prepare(opts?: GrabOptions): Promise<void> {
    if (this.state.status !== 'on') return;
    await this.deps.capture.prepare?.(opts).catch(() => {});
  }

  private async loadRegions(site: string): Promise<Region[]> {
    return this.deps.redactions.load(site).catch(() => []);
  }

  private async markHidden(site: string, at: number): Promise<void> {
    this.hiddenSince = { ...this.hiddenSince, [site]: at };
    await this.deps.redactions.saveHiddenSince(site, at);
  }

  private async set(s: SharingState): Promise<void> {
    this.state = s;
    await this.deps.store.save(s);
    this.deps.changed();
  }
}
