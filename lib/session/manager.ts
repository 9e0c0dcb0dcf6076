/**
 * The session manager (runs in the service worker): one conversation of frames and questions, the
 * sharing state, and the model calls. Browser APIs reach it only through the injected dependencies,
 * so it runs in vitest with fakes of the capture backend, the store and the model.
 */
import type { CaptureBackend } from '../capture/backend.ts';
import type { FramePayload, PanelCommand, PanelEvent, PanelState, SharingState } from '../protocol/messages.ts';
import type { Settings } from '../storage/settings.ts';
import type { StreamRequest, StreamResult } from '../transport/gemini.ts';
import { toUserError } from '../transport/errors.ts';
import { BLACK_FRAME_LUMA } from '../frames/size.ts';
import { buildRequest, newSession, parseAnswer } from './history.ts';
import { addFrame, addQuestionFrame, recoverInterrupted, titleFor, viewOf } from './session-state.ts';
import type { Frame, Session, SourceKind, Turn, UserError } from './types.ts';

export interface ManagerDeps {
  capture: CaptureBackend;
  settings: () => Promise<Settings>;
  sessions: { load(): Promise<Session | undefined>; save(s: Session, keepFrames: boolean): Promise<void> };
  sharing: { load(): Promise<SharingState | undefined>; save(s: SharingState): Promise<void> };
  model: (req: StreamRequest) => Promise<StreamResult>;
  /** The tab the user invoked Sightline on (toolbar click), for "Share this tab". */
  tabToShare: () => Promise<number | undefined>;
  broadcast: (event: PanelEvent) => void;
  now?: () => number;
  newId?: () => string;
}

const MAX_SIDE = 768;

export class SessionManager {
  private deps: ManagerDeps;
  private now: () => number;
  private newId: () => string;
  private session!: Session;
  private sharingState: SharingState = { status: 'off' };
  private notice: UserError | undefined;
  private answering: { turnId: string; abort: AbortController } | undefined;
  private lastThumbnail: PanelEvent | undefined;
  private readyPromise: Promise<void>;
  private blackFrames = 0;
  /** Raw streamed text of answers in progress (with the scene note the panel never shows). */
  private rawAnswers = new Map<string, string>();

  constructor(deps: ManagerDeps) {
    this.deps = deps;
    this.now = deps.now ?? Date.now;
    this.newId = deps.newId ?? (() => crypto.randomUUID());
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
        return this.share(cmd.source);
      case 'pause':
      case 'resume':
        return this.setPaused(cmd.type === 'pause');
      case 'stop-sharing':
        return this.stopSharing();
      case 'ask':
        return this.ask(cmd.text);
      case 'stop-answer':
        this.answering?.abort.abort();
        return;
      case 'new-session':
        this.answering?.abort.abort();
        this.session = newSession(this.now(), this.newId());
        await this.persist();
        return this.emitState();
      case 'dismiss-notice':
        this.notice = undefined;
        return this.emitState();
    }
  }

  // ---- sharing ----

  async togglePause(): Promise<void> {
    await this.readyPromise;
    if (this.sharingState.status === 'on') return this.setPaused(true);
    if (this.sharingState.status === 'paused') return this.setPaused(false);
  }

  private async share(source: SourceKind): Promise<void> {
    if (this.sharingState.status === 'on' || this.sharingState.status === 'paused') await this.deps.capture.stop();
    const settings = await this.deps.settings();
    this.notice = undefined;
    this.blackFrames = 0;
    await this.setSharing({ status: 'starting', source });
    try {
      const tabId = source === 'tab' ? await this.deps.tabToShare() : undefined;
      const { label } = await this.deps.capture.start({
        source,
        tabId,
        settings: { fps: settings.fps, minFps: settings.minFps, quality: settings.quality, maxSide: MAX_SIDE },
      });
      // The capture may have ended (and said why) while start() was in flight.
      if (this.sharingState.status === 'starting') await this.setSharing({ status: 'on', source, label, tabId });
    } catch (err) {
      const reason = (err as Error).message || String(err);
      this.notice = { kind: 'capture-refused', message: reason };
      await this.setSharing({ status: 'off', endedReason: reason });
    }
  }

  private async setPaused(paused: boolean): Promise<void> {
    const s = this.sharingState;
    if (s.status !== 'on' && s.status !== 'paused') return;
    await this.deps.capture.setPaused(paused);
    await this.setSharing({ ...s, status: paused ? 'paused' : 'on', endedReason: undefined });
  }

  async stopSharing(reason?: string): Promise<void> {
    await this.readyPromise;
    await this.deps.capture.stop();
    this.lastThumbnail = undefined;
    if (reason) this.notice = { kind: 'capture-ended', message: reason };
    await this.setSharing({ status: 'off', endedReason: reason });
  }

  /** The capture ended by itself (tab closed, device gone, user stopped it in the browser UI). */
  async captureEnded(reason: string, refused = false): Promise<void> {
    await this.readyPromise;
    if (this.sharingState.status === 'off') return;
    this.lastThumbnail = undefined;
    this.notice = { kind: refused ? 'capture-refused' : 'capture-ended', message: reason };
    await this.setSharing({ status: 'off', endedReason: reason });
  }

  /** New rates from Settings apply to a running capture at once. */
  async settingsChanged(settings: Settings): Promise<void> {
    await this.readyPromise;
    if (this.sharingState.status === 'on' || this.sharingState.status === 'paused') {
      await this.deps.capture.setRate(settings.fps, settings.minFps);
    }
  }

  sharedTabId(): number | undefined {
    return this.sharingState.status === 'off' ? undefined : this.sharingState.tabId;
  }

  // ---- frames ----

  async frameArrived(payload: FramePayload): Promise<void> {
    await this.readyPromise;
    if (this.sharingState.status !== 'on') return;
    if (!this.checkNotBlack(payload)) return;
    const frame = this.toFrame(payload, 'sampled');
    this.session = addFrame(this.session, frame);
    this.lastThumbnail = { type: 'thumbnail', dataUrl: `data:image/jpeg;base64,${payload.data}`, capturedAt: payload.capturedAt };
    this.deps.broadcast(this.lastThumbnail);
  }

  async frameDropped(): Promise<void> {
    await this.readyPromise;
    this.session = { ...this.session, framesDropped: this.session.framesDropped + 1 };
  }

  private checkNotBlack(payload: FramePayload): boolean {
    if (payload.meanLuma >= BLACK_FRAME_LUMA) {
      this.blackFrames = 0;
      return true;
    }
    // A few black frames in a row: almost surely a protected video (DRM) that Chrome captures as black.
    if (++this.blackFrames === 3) {
      this.notice = {
        kind: 'black-frames',
        message: 'What you share shows as black. Protected videos (DRM) cannot be captured; Sightline sees only black there.',
      };
      this.emitState();
    }
    return false;
  }

  private toFrame(p: FramePayload, reason: Frame['reason']): Frame {
    return {
      id: this.newId(),
      capturedAt: p.capturedAt,
      width: p.width,
      height: p.height,
      mimeType: 'image/jpeg',
      data: p.data,
      source: this.sharingState.source ?? 'tab',
      reason,
    };
  }

  // ---- questions ----

  private async ask(text: string): Promise<void> {
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
    const frameId = await this.grabQuestionFrame();
    if (frameId) this.updateTurn(turn.id, { frameId });
    await saved;

    const abort = new AbortController();
    this.answering = { turnId: turn.id, abort };
    const plan = buildRequest(this.session);
    try {
      const result = await this.deps.model({
        proxyUrl: settings.proxyUrl,
        accessToken: settings.accessToken,
        model: settings.model,
        contents: plan.contents,
        systemInstruction: plan.systemInstruction,
        signal: abort.signal,
        onDelta: (delta) => this.delta(turn.id, delta),
      });
      const { answer, sceneNote } = parseAnswer(result.text);
      if (sceneNote && frameId) this.noteFrame(frameId, sceneNote);
      const usage = result.usage;
      if (usage) {
        const u = this.session.usage;
        this.session = { ...this.session, usage: { promptTokens: u.promptTokens + usage.promptTokens, answerTokens: u.answerTokens + usage.answerTokens } };
      }
      await this.finishTurn(turn.id, { answer, status: 'done', usage });
    } catch (err) {
      if (abort.signal.aborted) await this.finishTurn(turn.id, { status: 'stopped' });
      else await this.finishTurn(turn.id, { status: 'error', error: toUserError(err) });
    } finally {
      this.rawAnswers.delete(turn.id);
      if (this.answering?.abort === abort) this.answering = undefined;
    }
  }

  /** The frame of "now": taken when the question is asked, never an older sampled one. Paused sends none. */
  private async grabQuestionFrame(): Promise<string | undefined> {
    if (this.sharingState.status !== 'on') return undefined;
    try {
      const payload = await this.deps.capture.grab();
      if (!this.checkNotBlack(payload)) return undefined;
      const frame = this.toFrame(payload, 'question');
      this.session = addQuestionFrame(this.session, frame, payload.changed);
      return frame.id;
    } catch (err) {
      this.notice = { kind: 'no-frame', message: `No frame was sent with this question: ${(err as Error).message}` };
      this.emitState();
      return undefined;
    }
  }

  /**
   * The panel sees the answer without its trailing scene note: deltas are cut from the visible text
   * (parseAnswer holds back a last line that may be growing into "SCENE:"), not passed on raw.
   */
  private delta(turnId: string, text: string): void {
    const turn = this.session.turns.find((t) => t.id === turnId);
    if (!turn) return;
    const raw = (this.rawAnswers.get(turnId) ?? '') + text;
    this.rawAnswers.set(turnId, raw);
    const visible = parseAnswer(raw).answer;
    if (visible === turn.answer) return;
    const updated = this.updateTurn(turnId, { answer: visible, status: 'streaming', firstTokenAt: turn.firstTokenAt ?? this.now() });
    if (visible.startsWith(turn.answer)) {
      this.deps.broadcast({ type: 'answer-delta', turnId, text: visible.slice(turn.answer.length) });
    } else if (updated) {
      this.emitTurn(updated);
    }
  }

  private noteFrame(frameId: string, note: string): void {
    this.session = { ...this.session, frames: this.session.frames.map((f) => (f.id === frameId ? { ...f, note } : f)) };
  }

  private updateTurn(turnId: string, patch: Partial<Turn>): Turn | undefined {
    let updated: Turn | undefined;
    const turns = this.session.turns.map((t) => (t.id === turnId ? (updated = { ...t, ...patch }) : t));
    this.session = { ...this.session, turns, updatedAt: this.now() };
    return updated;
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
    const sharing = (await this.deps.sharing.load()) ?? { status: 'off' };
    // A restarted worker trusts the capture itself, not its own last word.
    this.sharingState = sharing.status !== 'off' && !(await this.deps.capture.isActive().catch(() => false)) ? { status: 'off' } : sharing;
  }

  private async setSharing(s: SharingState): Promise<void> {
    this.sharingState = s;
    await this.deps.sharing.save(s);
    this.emitState();
  }

  private async persist(): Promise<void> {
    const { keepFrames } = await this.deps.settings();
    await this.deps.sessions.save(this.session, keepFrames);
  }

  private state(): PanelState {
    return { sharing: this.sharingState, session: viewOf(this.session), notice: this.notice };
  }

  private emitState(): void {
    this.deps.broadcast({ type: 'state', state: this.state() });
  }

  private emitTurn(turn: Turn): void {
    this.deps.broadcast({ type: 'turn', turn });
  }
}
