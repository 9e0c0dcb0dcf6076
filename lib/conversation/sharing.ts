/**
 * Sharing as the session manager sees it: start, pause, resume, stop; the hidden regions of the shared site;
 * pausing by itself on a private site or when something (the budget) holds it. Browser APIs arrive injected.
 */
import type { CaptureBackend, GrabOptions } from '../capture/backend.ts';
import type { FramePayload, SharingState } from '../protocol/messages.ts';
import type { Settings } from '../core/settings.ts';
import { hidesMore, normalizeRegions, type Region } from '../core/frames/redaction.ts';
import { hostnameOf, matchPrivateSite, siteKeyFor } from '../core/private-sites.ts';
import type { SourceKind, UserError } from '../core/types.ts';

/** Longest side of sampled frames (768 px: a tile's worth of detail at 258 tokens). */
export const MAX_SIDE = 768;

export const NAVIGATED_AWAY = 'The shared tab went to another page, so sharing stopped. Share it again to continue.';

export interface RedactionStore {
  load(site: string): Promise<Region[]>;
  save(site: string, regions: Region[]): Promise<void>;
  deleteAll(): Promise<void>;
}

export interface SharingDeps {
  capture: CaptureBackend;
  settings: () => Promise<Settings>;
  store: { load(): Promise<SharingState | undefined>; save(s: SharingState): Promise<void> };
  tabToShare: () => Promise<number | undefined>;
  /** Address of the page a tab shows, for the private-site list and the site's hidden regions. */
  tabUrl?: (tabId: number) => Promise<string | undefined>;
  redactions?: RedactionStore;
  /** The state or the hidden regions changed: tell the panel. */
  changed: () => void;
  /** Say something to the user; undefined clears what was said. */
  notify: (notice: UserError | undefined) => void;
  /** A reason sharing may not run now (the budget is reached), checked when it starts or resumes. */
  hold?: () => Promise<UserError | null>;
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
  private deps: SharingDeps;

  constructor(deps: SharingDeps) {
    this.deps = deps;
  }

  get live(): boolean {
    return this.state.status === 'on' || this.state.status === 'paused';
  }

  async restore(): Promise<void> {
    const stored = (await this.deps.store.load()) ?? { status: 'off' };
    // A restarted worker trusts the capture itself, not its own last word.
    const alive = stored.status !== 'off' && (await this.deps.capture.isActive().catch(() => false));
    this.state = stored.status !== 'off' && !alive ? { status: 'off' } : stored;
    if (this.live && this.state.site) this.redactions = await this.loadRegions(this.state.site);
  }

  async share(source: SourceKind): Promise<void> {
    if (this.live) await this.deps.capture.stop();
    const settings = await this.deps.settings();
    this.deps.notify(undefined);
    await this.set({ status: 'starting', source });
    try {
      const tabId = source === 'tab' ? await this.deps.tabToShare() : undefined;
      const host = tabId !== undefined ? hostnameOf(await this.deps.tabUrl?.(tabId).catch(() => undefined)) : undefined;
      const site = siteKeyFor(source, host);
      this.redactions = await this.loadRegions(site);
      const { label } = await this.deps.capture.start({
        source,
        tabId,
        settings: { fps: settings.fps, minFps: settings.minFps, quality: settings.quality, maxSide: MAX_SIDE, redactions: this.redactions },
      });
      // The capture may have ended (and said why) while start() was in flight.
      if (this.state.status !== 'starting') return;
      const listed = source === 'tab' && host && matchPrivateSite(host, settings.privateSites ?? []);
      const held = listed ? privateSiteNotice(host) : await this.deps.hold?.();
      if (held) {
        await this.deps.capture.setPaused(true);
        this.deps.notify(held);
      }
      await this.set({ status: held ? 'paused' : 'on', source, label, tabId, site });
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
      const held = await this.deps.hold?.();
      if (held) {
        this.deps.notify(held);
        return this.deps.changed();
      }
    }
    await this.deps.capture.setPaused(paused);
    await this.set({ ...s, status: paused ? 'paused' : 'on', endedReason: undefined });
  }

  /** Pauses by itself and says why (budget reached, a private site, regions that could not be applied). */
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
   * Replaces the shared site's hidden regions, stores them and applies them to the running capture.
   * Returns whether more is hidden than before (then pixels taken earlier must not be sent).
   */
  async setRedactions(regions: Region[]): Promise<boolean> {
    const site = this.state.site;
    if (!this.live || !site) return false;
    const next = normalizeRegions(regions);
    const more = hidesMore(this.redactions, next);
    this.redactions = next;
    await this.deps.redactions?.save(site, next);
    if (this.deps.capture.setRedactions) await this.deps.capture.setRedactions(next);
    else if (more) await this.pauseFor({ kind: 'redaction', message: 'Share again to apply the new hidden region; sharing is paused until then.' });
    this.deps.changed();
    return more;
  }

  async rate(settings: Settings): Promise<void> {
    if (this.live) await this.deps.capture.setRate(settings.fps, settings.minFps);
  }

  grab(opts?: GrabOptions): Promise<FramePayload> {
    return this.deps.capture.grab(opts);
  }

  private async loadRegions(site: string): Promise<Region[]> {
    return (await this.deps.redactions?.load(site).catch(() => [])) ?? [];
  }

  private async set(s: SharingState): Promise<void> {
    this.state = s;
    await this.deps.store.save(s);
    this.deps.changed();
  }
}
