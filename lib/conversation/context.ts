/**
 * What the conversation manager's steps share: the conversation shown and continued, the answer on its way,
 * the notice, the live thumbnail, sharing and saving, and the helpers that tell the panel. Read and changed
 * only inside a step of `queue`, one step at a time. The PanelState sent from here is the only place the
 * open turn and the thumbnail are worked out.
 */
import type { FramePayload, LiveView, PanelEvent, PanelState, Thumbnail } from '../protocol/messages.ts';
import { BlackFrameWatch, patchTurn, recoverInterrupted, viewOf, withoutHiddenPixels } from '../core/conversation/conversation-state.ts';
import { newConversation } from '../core/conversation/history.ts';
import { overSpendLimit } from '../core/conversation/spend-limit.ts';
import type { Conversation, Turn, UserError } from '../core/types.ts';
import type { ManagerDeps } from './manager-deps.ts';
import { SerialQueue } from './queue.ts';
import { Saving } from './saving.ts';
import { Sharing } from './sharing.ts';
import type { LiveRecord } from '../protocol/live.ts';

/** A model call on its way, bound to the conversation and turn it was asked in. */
export interface AnswerJob {
  /** The conversation the question was asked in: the answer is finished there, and nowhere else. */
  conversationId: string;
  turnId: string;
  /** The model asked, named in a sentence when it turns out not to exist. */
  model: string;
  abort: AbortController;
}

/** The running Live conversation as the manager keeps it (live.ts): its stored record and what the panel shows. */
export interface LiveJob {
  record: LiveRecord;
  view: LiveView;
}

export class ConversationContext {
  readonly deps: ManagerDeps;
  readonly now: () => number;
  readonly newId: () => string;
  private readonly queue = new SerialQueue();
  readonly sharing: Sharing;
  readonly saving: Saving;
  /** The conversation shown and continued; set by the first step (restore). */
  session!: Conversation;
  /** The answer on its way; always in `session` (switching conversations ends it first). */
  answering: AnswerJob | undefined;
  notice: UserError | undefined;
  /** The newest frame kept while sharing; none once sharing is off. */
  thumbnail: Thumbnail | undefined;
  blackFrames = new BlackFrameWatch();
  /** The Live (voice) conversation while one runs (live.ts). */
  live: LiveJob | undefined;
  private restored = false;

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
      consented: deps.consented,
      now: this.now,
      changed: () => this.sharingChanged(),
      notify: (notice) => (this.notice = notice),
      hold: async () => overSpendLimit(this.session, await deps.settings()),
    });
    this.saving = new Saving(deps, {
      refused: (notice) => {
        this.notice = notice;
        if (this.restored) this.emitState();
      },
      resumed: () => {
        if (this.notice?.kind !== 'not-saved') return;
        this.notice = undefined;
        this.emitState();
      },
    });
  }

  /**
   * The first step: the conversation to continue (an answer cut off by the restart says so) and where sharing
   * stands. A store that cannot be read gives a new conversation, kept in memory.
   */
  async restore(): Promise<void> {
    const stored = await this.saving.current();
    this.session = stored ? recoverInterrupted(stored, this.now()) : newConversation(this.now(), this.newId());
    this.restored = true;
    await this.sharing.restore();
  }

  /**
   * Queues a step after every step queued before it and resolves with its result. Never rejects: an
   * unexpected failure is said in a notice (undefined is the result), and the queue goes on.
   */
  run<T>(work: () => T | Promise<T>): Promise<T | undefined> {
    return this.queue.run(async () => {
      try {
        return await work();
      } catch (err) {
        this.notice = { kind: 'unknown', message: `Something went wrong: ${(err as Error).message || String(err)}` };
        if (this.restored) this.emitState();
        return undefined;
      }
    });
  }

  /** What the panel renders, derived here and only here. */
  state(): PanelState {
    const job = this.answering;
    return {
      sharing: this.sharing.state,
      session: viewOf(this.session),
      openTurnId: job && job.conversationId === this.session.id ? job.turnId : undefined,
      notice: this.notice,
      redactions: this.sharing.live ? this.sharing.redactions : undefined,
      ...(this.live ? { live: this.live.view } : {}),
    };
  }

  /** The events a panel that just connected needs: the state, and the thumbnail while sharing. */
  snapshot(): PanelEvent[] {
    const state: PanelEvent = { type: 'state', state: this.state() };
    return this.thumbnail ? [state, { type: 'thumbnail', thumbnail: this.thumbnail }] : [state];
  }

  emitState(): void {
    this.deps.broadcast({ type: 'state', state: this.state() });
  }

  emitTurn(turn: Turn | undefined): void {
    if (turn) this.deps.broadcast({ type: 'turn', turn });
  }

  /** Past conversations for the panel's list: not the current one, nor untitled ones (nothing to reopen). */
  async emitConversations(): Promise<void> {
    const all = await this.saving.list();
    this.deps.broadcast({ type: 'conversations', sessions: all.filter((s) => s.id !== this.session.id && s.title) });
  }

  /** Changes a turn of the current conversation; the changed turn, undefined when it is not there. */
  updateTurn(turnId: string, patch: Partial<Turn>): Turn | undefined {
    const { session, turn } = patchTurn(this.session, turnId, patch, this.now());
    this.session = session;
    return turn;
  }

  /**
   * Writes the current conversation; never rejects (a refused write becomes the not-saved notice). Pixels a
   * region hidden since covers are not written, though the rule does not rely on it (withoutHiddenPixels).
   */
  save(): Promise<void> {
    return this.saving.save(withoutHiddenPixels(this.session, this.sharing.hiddenSince));
  }

  /** The live thumbnail shows the newest frame kept, sampled or taken for a question. */
  showThumbnail(payload: FramePayload): void {
    this.thumbnail = { dataUrl: `data:image/jpeg;base64,${payload.data}`, capturedAt: payload.capturedAt };
    this.deps.broadcast({ type: 'thumbnail', thumbnail: this.thumbnail });
  }

  /** Sharing changed: a thumbnail of a share that ended would claim Sightline still sees something. */
  private sharingChanged(): void {
    if (this.sharing.state.status === 'off' && this.thumbnail) {
      this.thumbnail = undefined;
      this.deps.broadcast({ type: 'thumbnail' });
    }
    this.emitState();
  }
}
