/**
 * Live mode's controls in the live bar: Start talking (not with a model server of one's own; disabled while
 * sharing is paused); while talking, what the conversation is doing
 * (Connecting…, Listening, Reconnecting…, Muted), the microphone's level, what it costs a minute, Mute/Unmute and
 * End conversation.
 */
import type { LiveView } from '../lib/protocol/messages.ts';
import { formatCost } from '../lib/core/conversation/cost.ts';
import { Icon } from './Icons.tsx';
import { i18n } from '#i18n';

interface Props {
  live: LiveView | undefined;
  /** The microphone's level 0..1 (RMS), as last reported. */
  level: number | undefined;
  onStart: () => void;
  onEnd: () => void;
  onMute: (muted: boolean) => void;
  /** What the conversation costs a minute since Live started (lib/core/conversation/cost.ts costPerMinute), once known. */
  costPerMinute?: number | undefined;
  /**
   * Why a conversation cannot start now: `own-server` (Live is Gemini's, through the proxy: no Start talking at
   * all) or `paused` (Start talking disabled, with the reason beside it). A running conversation keeps its controls.
   */
  unavailable?: 'own-server' | 'paused' | undefined;
}

/** The words for where the conversation stands. */
export function liveStatusText(live: LiveView): string {
  if (live.phase === 'starting' || live.phase === 'connecting' || live.phase === 'idle') return i18n.t('talk.connecting');
  if (live.phase === 'open') return live.muted ? i18n.t('talk.muted') : i18n.t('talk.listening');
  if (live.phase === 'closed') return i18n.t('talk.ended');
  return i18n.t('talk.reconnecting');
}

/** Start talking, or the running conversation's state and controls. */
export function LiveTalk({ live, level, onStart, onEnd, onMute, costPerMinute, unavailable }: Props) {
  if (!live) {
    if (unavailable === 'own-server') return null;
    const paused = unavailable === 'paused';
    return (
      <div class="live-talk">
        <button type="button" class="primary" onClick={onStart} disabled={paused} aria-describedby={paused ? 'live-talk-why' : undefined}>
          <Icon name="mic" size={16} />
          {i18n.t('talk.start')}
        </button>
        {paused && (
          <p id="live-talk-why" class="live-reason meta">
            {i18n.t('talk.whilePaused')}
          </p>
        )}
      </div>
    );
  }
  const status = liveStatusText(live);
  // RMS of speech sits around 0.05 to 0.3: scaled so a normal voice fills most of the meter.
  const shown = live.muted || live.phase !== 'open' ? 0 : Math.min(1, Math.sqrt(level ?? 0) * 1.6);
  return (
    <div class={`live-talk ${live.phase}`}>
      <p class="live-listening" role="status">
        <Icon name="mic" size={16} />
        <strong>{status}</strong>
        <meter class="mic-level" min={0} max={1} value={shown} aria-label={i18n.t('talk.micLevel')} />
        {costPerMinute !== undefined && <span class="live-cost meta">{i18n.t('live.costPerMinute', { cost: formatCost(costPerMinute) })}</span>}
      </p>
      {live.notice && <p class="live-reason meta">{live.notice}</p>}
      <div class="live-actions">
        <button type="button" aria-pressed={live.muted} onClick={() => onMute(!live.muted)}>
          {live.muted ? i18n.t('talk.unmute') : i18n.t('talk.mute')}
        </button>
        <button type="button" class="danger" onClick={onEnd}>
          <Icon name="stop" size={16} />
          {i18n.t('talk.end')}
        </button>
      </div>
    </div>
  );
}
