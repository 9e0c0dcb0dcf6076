/**
 * The session manager (runs in the service worker): one conversation of frames and questions, the
 * sharing state, and the model calls. Browser APIs reach it only through the injected dependencies,
 * so it runs in vitest with fakes of the capture backend, the store and the model.
 */
import type { FramePayload, PanelCommand, PanelEvent, PanelState } from '../protocol/messages.ts';
import type { Settings } from '../core/settings.ts';
import { toUserError } from '../core/answers/errors.ts';
import { buildRequest, newSession } from '../core/conversation/history.ts';
import { streamVisibleAnswer } from './answer-stream.ts';
import {
  addFrame, addQuestionFrame, BlackFrameWatch, dropPixels, frameOf, noteFrame, patchTurn, recoverInterrupted, titleFor, viewOf,
} from '../core/conversation/conversation-state.ts';
import { addUsage } from '../core/conversation/cost.ts';
import { overBudget } from '../core/conversation/spend-limit.ts';
import { summarizeIfDue } from './compactor.ts';
import { CLOSER_GRAB, type ManagerDeps } from './manager-deps.ts';
import { Sharing } from './sharing.ts';
import type { Frame, Session, Turn, UserError } from '../core/types.ts';

export type { ManagerDeps, SessionLibrary } from './manager-deps.ts';
export { CLOSER_GRAB };

export class SessionManager {
  private deps: ManagerDeps;
  private now: () => number;
  private newId: () => string;
  private session!: Session;
  private sharing: Sharing;
  private notice: UserError | undefined;
  private answering: { turnId: string; abort: AbortController } | undefined;
  private lastThumbnail: PanelEvent | undefined;
  private readyPromise: Promise<void>;
  private blackFrames = new BlackFrameWatch();

  constructor(deps: ManagerDeps) {
    this.deps = deps;
    this.now = deps.now ?? Date.now;
    this.newId = deps.newId ?? (() => crypto.randomUUID());
    this.sharing = new Sharing({
      capture: deps.capture,
      settings: deps.settings,
      store: deps.sharing,
      tabToShare: deps.tabToShare,
      tabUrl: deps.tabUrl,
      redactions: deps.redactions,
      changed: () => {
        if (this.sharing.state.status === 'off') this.lastThumbnail = undefined;
        this.emitState();
      },
      notify: (notice) => (this.notice = notice),
      hold: async () => overBudget(this.session, await this.deps.settings()),
    });
    this.readyPromise = this.restore();
  }

  ready(): Promise<void> {
    return this.readyPromise;
  }

  /** State for a panel that just connected (or reconnected after a restart). */
  snapshotEvents(): PanelEvent[] {
    return [{ type: 'state', state: this.state() }, ...(this.lastThumbnail ? [this.lastThumbnail] : [])];
  }

  async handle(cmd: PanelCommand): Promise<void> {
    await this.readyPromise;
    switch (cmd.type) {
      case 'share':
        this.blackFrames = new BlackFrameWatch();
        return this.sharing.share(cmd.source);
      case 'pause':
      case 'resume':
        return this.sharing.setPaused(cmd.type === 'pause');
      case 'stop-sharing':
        return this.stopSharing();
      case 'ask':
        return this.ask(cmd.text, cmd.closer === true);
      case 'stop-answer':
        this.answering?.abort.abort();
        return;
      case 'new-session':
        await this.switchTo(newSession(this.now(), this.newId()));
        return this.emitSessions();
      case 'dismiss-notice':
        this.notice = undefined;
        return this.emitState();
      case 'set-redactions':
        // Frames taken before a region was hidden show it: they lose their pixels and are never sent.
        if (await this.sharing.setRedactions(cmd.regions)) this.session = dropPixels(this.session);
        return;
      case 'list-sessions':
        return this.emitSessions();
      case 'open-session': {
        const stored = cmd.id === this.session.id ? undefined : await this.deps.library?.load(cmd.id);
        if (stored) await this.switchTo(recoverInterrupted(stored, this.now()));
        return this.emitSessions();
      }
      case 'delete-session':
        await this.deps.library?.delete(cmd.id);
        if (cmd.id === this.session.id) await this.switchTo(newSession(this.now(), this.newId()), false);
        return this.emitSessions();
      case 'delete-all':
        await this.sharing.stop();
        this.answering?.abort.abort();
        await this.deps.library?.deleteAll();
        await this.deps.redactions?.deleteAll();
        this.session = newSession(this.now(), this.newId());
        this.notice = undefined;
        this.emitState();
        return this.emitSessions();
    }
  }

  /** Makes `session` the conversation shown and continued; the one in progress is stopped. */
  private async switchTo(session: Session, save = true): Promise<void> {
    this.answering?.abort.abort();
    this.session = session;
    if (save) await this.persist();
    this.emitState();
  }

  private async emitSessions(): Promise<void> {
    const all = (await this.deps.library?.list().catch(() => [])) ?? [];
    // An untitled conversation has no question yet: nothing to reopen.
    const sessions = all.filter((s) => s.id !== this.session.id && s.title);
    this.deps.broadcast({ type: 'sessions', sessions });
  }

  // ---- sharing ----

  async togglePause(): Promise<void> {
    await this.readyPromise;
    if (this.sharing.state.status === 'on') return this.sharing.setPaused(true);
    if (this.sharing.state.status === 'paused') return this.sharing.setPaused(false);
  }

  async stopSharing(reason?: string): Promise<void> {
    await this.readyPromise;
    await this.sharing.stop(reason);
  }

  /** The capture ended by itself (tab closed, device gone, user stopped it in the browser UI). */
  async captureEnded(reason: string, refused = false): Promise<void> {
    await this.readyPromise;
    await this.sharing.ended(reason, refused);
  }

  /** The shared tab loaded another page: a private site pauses sharing, any other stops it. */
  async sharedTabNavigated(url: string): Promise<void> {
    await this.readyPromise;
    await this.sharing.navigated(url);
  }

  /** New rates from Settings apply to a running capture at once; a lowered budget may pause sharing. */
  async settingsChanged(settings: Settings): Promise<void> {
    await this.readyPromise;
    await this.sharing.rate(settings);
    await this.checkBudget(settings);
  }

  sharedTabId(): number | undefined {
    return this.sharing.state.status === 'off' ? undefined : this.sharing.state.tabId;
  }

  private async checkBudget(settings: Settings): Promise<void> {
    const over = overBudget(this.session, settings);
    if (over) await this.sharing.pauseFor(over);
  }

  // ---- frames ----

  async frameArrived(payload: FramePayload): Promise<void> {
    await this.readyPromise;
    if (this.sharing.state.status !== 'on') return;
    if (!this.checkNotBlack(payload)) return;
    const frame = this.toFrame(payload, 'sampled');
    this.session = addFrame(this.session, frame);
    this.showThumbnail(payload);
  }

  /** The live thumbnail shows the newest frame kept, sampled or taken for a question. */
  private showThumbnail(payload: FramePayload): void {
    this.lastThumbnail = { type: 'thumbnail', dataUrl: `data:image/jpeg;base64,${payload.data}`, capturedAt: payload.capturedAt };
    this.deps.broadcast(this.lastThumbnail);
  }

  async frameDropped(): Promise<void> {
    await this.readyPromise;
    this.session = { ...this.session, framesDropped: this.session.framesDropped + 1 };
  }

  /** False for a black frame (not sent); the third in a row says why (a protected video). */
  private checkNotBlack(payload: FramePayload): boolean {
    const verdict = this.blackFrames.check(payload.meanLuma);
    if (verdict === 'warn') {
      this.notice = {
        kind: 'black-frames',
        message: 'What you share shows as black. Protected videos (DRM) cannot be captured; Sightline sees only black there.',
      };
      this.emitState();
    }
    return verdict === 'ok';
  }

  private toFrame(p: FramePayload, reason: Frame['reason']): Frame {
    return frameOf(p, this.newId(), this.sharing.state.source ?? 'tab', reason);
  }

  // ---- questions ----

  private async ask(text: string, closer: boolean): Promise<void> {
    const question = text.trim();
    if (!question) return;
    this.answering?.abort.abort();
    const settings = await this.deps.settings();
    const turn: Turn = { id: this.newId(), question, askedAt: this.now(), answer: '', status: 'waiting' };
    this.session = { ...this.session, title: this.session.title || titleFor(question), turns: [...this.session.turns, turn] };
    this.emitTurn(turn);

    if (!settings.proxyUrl || !settings.accessToken) {
      return this.finishTurn(turn.id, {
        status: 'error',
        error: { kind: 'not-configured', message: 'Set the proxy URL and access token in Settings, then ask again.' },
      });
    }
    // Saved before the call (a worker stopped mid-answer must not lose the question), while the frame
    // is taken: the write does not add to the time to the first words.
    const saved = this.persist();
    const frameId = await this.grabQuestionFrame(closer);
    if (frameId) this.updateTurn(turn.id, { frameId });
    await saved;

    const abort = new AbortController();
    this.answering = { turnId: turn.id, abort };
    const plan = buildRequest(this.session);
    try {
      const { answer, sceneNote, usage, ending, thoughts } = await streamVisibleAnswer(
        this.deps.model,
        {
          proxyUrl: settings.proxyUrl,
          accessToken: settings.accessToken,
          model: settings.model,
          contents: plan.contents,
          systemInstruction: plan.systemInstruction,
          signal: abort.signal,
        },
        (visible) => this.showAnswer(turn.id, visible),
      );
      if (sceneNote && frameId) this.session = noteFrame(this.session, frameId, sceneNote);
      this.session = { ...this.session, usage: addUsage(this.session.usage, usage) };
      // An answer that did not end complete (blocked, cut short, thoughts only, empty) carries its sentence.
      await this.finishTurn(turn.id, { answer, status: 'done', usage, ...(ending ? { ending } : {}), ...(thoughts ? { thoughts } : {}) });
      await this.compact(settings);
      await this.checkBudget(settings);
    } catch (err) {
      if (abort.signal.aborted) await this.finishTurn(turn.id, { status: 'stopped' });
      else await this.finishTurn(turn.id, { status: 'error', error: toUserError(err, { model: settings.model }) });
    } finally {
      if (this.answering?.abort === abort) this.answering = undefined;
    }
  }

  /** After a turn: fold old turns into the summary when the next request would be too large. Never fails the turn. */
  private async compact(settings: Settings): Promise<void> {
    if (!this.deps.summarize) return;
    const summary = await summarizeIfDue(this.session, settings, this.deps.summarize);
    if (!summary) return;
    this.session = summary.apply(this.session);
    await this.persist().catch(() => {});
    this.emitState();
  }

  /**
   * The frame of "now": taken when the question is asked, never an older sampled one. Paused sends none.
   * "Look closer" asks for a larger, sharper one.
   */
  private async grabQuestionFrame(closer: boolean): Promise<string | undefined> {
    if (this.sharing.state.status !== 'on') return undefined;
    try {
      const payload = await this.sharing.grab(closer ? CLOSER_GRAB : undefined);
      if (!this.checkNotBlack(payload)) return undefined;
      const frame = this.toFrame(payload, closer ? 'closer' : 'question');
      this.session = addQuestionFrame(this.session, frame, payload.changed);
      this.showThumbnail(payload);
      return frame.id;
    } catch (err) {
      this.notice = { kind: 'no-frame', message: `No frame was sent with this question: ${(err as Error).message}` };
      this.emitState();
      return undefined;
    }
  }

  /** The visible answer grew: the panel gets the new words, or the whole turn if earlier text changed. */
  private showAnswer(turnId: string, visible: string): void {
    const turn = this.session.turns.find((t) => t.id === turnId);
    if (!turn) return;
    const updated = this.updateTurn(turnId, { answer: visible, status: 'streaming', firstTokenAt: turn.firstTokenAt ?? this.now() });
    if (visible.startsWith(turn.answer)) {
      this.deps.broadcast({ type: 'answer-delta', turnId, text: visible.slice(turn.answer.length) });
    } else if (updated) {
      this.emitTurn(updated);
    }
  }

  private updateTurn(turnId: string, patch: Partial<Turn>): Turn | undefined {
    const { session, turn } = patchTurn(this.session, turnId, patch, this.now());
    this.session = session;
    return turn;
  }

  private async finishTurn(turnId: string, patch: Partial<Turn>): Promise<void> {
    const turn = this.updateTurn(turnId, { ...patch, finishedAt: this.now() });
    if (turn) this.emitTurn(turn);
    await this.persist();
    this.emitState();
  }

  // ---- state ----

  private async restore(): Promise<void> {
    const stored = await this.deps.sessions.load();
    this.session = stored ? recoverInterrupted(stored, this.now()) : newSession(this.now(), this.newId());
    await this.sharing.restore();
  }

  private async persist(): Promise<void> {
    const { keepFrames } = await this.deps.settings();
    await this.deps.sessions.save(this.session, keepFrames);
  }

  private state(): PanelState {
    const redactions = this.sharing.live ? this.sharing.redactions : undefined;
    return { sharing: this.sharing.state, session: viewOf(this.session), notice: this.notice, redactions };
  }

  private emitState(): void {
    this.deps.broadcast({ type: 'state', state: this.state() });
  }

  private emitTurn(turn: Turn): void {
    this.deps.broadcast({ type: 'turn', turn });
  }
}
