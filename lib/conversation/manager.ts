/**
 * The conversation manager (runs in the service worker): one conversation of frames and questions, the
 * sharing state, and the model calls, as one serialised state machine. Every input (panel commands, capture
 * events, tab navigation, settings changes, and the words and end of a model call) is a step of one queue,
 * applied one at a time; the first step restores the conversation after a (re)start. Browser APIs reach it
 * only through the injected dependencies, so it runs in vitest with fakes of the capture, stores and model.
 */
import type { FramePayload, PanelCommand, PanelEvent } from '../protocol/messages.ts';
import type { Settings } from '../core/settings.ts';
import { BlackFrameWatch } from '../core/conversation/conversation-state.ts';
import { ask, checkSpendLimit, prepareAsk, stopAnswer, type Asked } from './answers.ts';
import { ConversationContext } from './context.ts';
import { frameArrived, frameDropped } from './frames.ts';
import { open, remove, removeAll, startNew } from './library.ts';
import { emitFrame, emitTimeline } from './scenes.ts';
import { CLOSER_GRAB, QUESTION_GRAB, REGION_GRAB, type ManagerDeps } from './manager-deps.ts';
import { endLive, liveReport, liveText, muteLive, restoreLive, startLive } from './live.ts';
import type { LiveReport } from '../protocol/live.ts';

export type { ManagerDeps, ReadPageResult, ConversationLibrary } from './manager-deps.ts';
export { CLOSER_GRAB, QUESTION_GRAB, REGION_GRAB };

export class ConversationManager {
  private ctx: ConversationContext;
  private restored: Promise<unknown>;

  constructor(deps: ManagerDeps) {
    this.ctx = new ConversationContext(deps);
    this.restored = this.step(async () => {
      await this.ctx.restore();
      await restoreLive(this.ctx);
    });
  }

  /** Resolves once the conversation is restored (the first step); never rejects. */
  async ready(): Promise<void> {
    await this.restored;
  }

  /** State for a panel that just connected (or reconnected after a restart); call after ready(). */
  snapshotEvents(): PanelEvent[] {
    return this.ctx.snapshot();
  }

  /**
   * Applies a panel command after every input queued before it. Resolves when its work is done: for a
   * question, once the answer has ended (other inputs keep being applied meanwhile). Never rejects: an
   * unexpected failure becomes a notice.
   */
  async handle(cmd: PanelCommand): Promise<void> {
    const asked = await this.step(() => this.apply(cmd));
    await asked?.done;
  }

  /** Alt+Shift+P: pauses a running share, resumes a paused one. */
  togglePause(): Promise<void> {
    return this.step(async () => {
      const { status } = this.ctx.sharing.state;
      if (status === 'on' || status === 'paused') await this.ctx.sharing.setPaused(status === 'on');
    });
  }

  /** Stops sharing; `reason` (the shared tab closed...) is said in a notice. */
  stopSharing(reason?: string): Promise<void> {
    return this.step(() => this.ctx.sharing.stop(reason));
  }

  /** The capture ended by itself (tab closed, device gone, user stopped it in the browser UI). */
  captureEnded(reason: string, refused = false): Promise<void> {
    return this.step(() => this.ctx.sharing.ended(reason, refused));
  }

  /** The shared tab loaded another page: a private site pauses sharing, any other stops it. */
  sharedTabNavigated(url: string): Promise<void> {
    return this.step(() => this.ctx.sharing.navigated(url));
  }

  /** New rates from Settings apply to a running capture at once; a lowered spend limit may pause sharing. */
  settingsChanged(settings: Settings): Promise<void> {
    return this.step(async () => {
      await this.ctx.sharing.rate(settings);
      await checkSpendLimit(this.ctx, settings);
    });
  }

  /** A sampled frame from the capture. */
  frameArrived(payload: FramePayload): Promise<void> {
    return this.step(() => frameArrived(this.ctx, payload));
  }

  /** A report of the page that holds the Live conversation (transcripts, phase, level, usage, end). */
  liveReport(report: LiveReport): Promise<void> {
    return this.step(() => liveReport(this.ctx, report));
  }

  /** The capture dropped a frame that showed no change. */
  frameDropped(): Promise<void> {
    return this.step(() => frameDropped(this.ctx));
  }

  /** The shared tab, watched for closing and navigation; undefined when no tab is shared. */
  sharedTabId(): number | undefined {
    const { state } = this.ctx.sharing;
    return state.status === 'off' ? undefined : state.tabId;
  }

  private async apply(cmd: PanelCommand): Promise<Asked | undefined> {
    const { ctx } = this;
    switch (cmd.type) {
      case 'share':
        ctx.blackFrames = new BlackFrameWatch();
        return void (await ctx.sharing.share(cmd.source));
      case 'pause':
      case 'resume':
        return void (await ctx.sharing.setPaused(cmd.type === 'pause'));
      case 'stop-sharing':
        return void (await ctx.sharing.stop());
      case 'ask':
        // During a Live conversation typed text goes into the same Live session.
        if (ctx.live) return void (await liveText(ctx, cmd.text));
        return ask(ctx, {
          text: cmd.text,
          closer: cmd.closer === true,
          region: cmd.region,
          ...(typeof cmd.withSound === 'boolean' ? { withSound: cmd.withSound } : {}),
          ...(typeof cmd.pointBack === 'boolean' ? { pointBack: cmd.pointBack } : {}),
        });
      case 'ask-about-scene':
        return typeof cmd.frameId === 'string' ? ask(ctx, { text: cmd.text, sceneFrameId: cmd.frameId }) : undefined;
      case 'get-timeline':
        return void emitTimeline(ctx, cmd.since);
      case 'get-frame':
        return void emitFrame(ctx, cmd.frameId);
      case 'start-live':
        return void (await startLive(ctx));
      case 'end-live':
        return void (await endLive(ctx));
      case 'mute':
        return void (await muteLive(ctx, cmd.muted));
      case 'stop-answer':
        return void (await stopAnswer(ctx));
      case 'typing':
        return void (await prepareAsk(ctx));
      case 'new-conversation':
        return void (await startNew(ctx));
      case 'dismiss-notice':
        ctx.notice = undefined;
        return void ctx.emitState();
      case 'set-redactions':
        return void (await ctx.sharing.setRedactions(cmd.regions));
      case 'list-conversations':
        return void (await ctx.emitConversations());
      case 'open-conversation':
        return void (await open(ctx, cmd.id));
      case 'delete-conversation':
        return void (await remove(ctx, cmd.id));
      case 'delete-all':
        return void (await removeAll(ctx));
    }
  }

  private step<T>(work: () => T | Promise<T>): Promise<T | undefined> {
    return this.ctx.run(work);
  }
}
