/**
 * The live bar: while something is shared it sits under the header and never scrolls away — the sharing
 * dot, what is shared (or Paused), a small live thumbnail that opens the preview and region editor, and
 * Pause/Resume and Stop sharing, fully visible from 320 px wide (like the browser's own sharing bar).
 */
import type { LiveView, SharingState } from '../lib/protocol/messages.ts';
import { LiveTalk } from './LiveTalk.tsx';
import type { Thumbnail } from '../lib/panel/view-model.ts';
import { Icon } from './Icons.tsx';
import { sourceText } from './AskBox.tsx';
import { openerId } from './Header.tsx';
import { i18n } from '#i18n';

interface Props {
  sharing: SharingState | undefined;
  thumbnail: Thumbnail | undefined;
  /** False while the preview or the Point view is open (one picture of the share on screen is enough). */
  showThumbnail: boolean;
  regionCount: number;
  onPreview: () => void;
  onPause: () => void;
  onResume: () => void;
  onStop: () => void;
  /** Live mode (LiveTalk.tsx). */
  live: LiveView | undefined;
  level: number | undefined;
  onStartLive: () => void;
  onEndLive: () => void;
  onMute: (muted: boolean) => void;
  /** Live's cost per minute, once known. */
  costPerMinute?: number | undefined;
  /** The answers come from a model server of one's own: Live (Gemini only) is not offered. */
  ownServer?: boolean;
}

/** The live bar while sharing (or starting to); nothing while not sharing. */
export function LiveBar({ sharing, thumbnail, showThumbnail, regionCount, onPreview, onPause, onResume, onStop, ...talk }: Props) {
  const status = sharing?.status ?? 'off';
  if (status === 'off') return null;
  if (status === 'starting') {
    return (
      <section class="livebar starting" aria-label={i18n.t('live.label')}>
        <p class="live-status" role="status">
          <span class="dot" aria-hidden="true" />
          {i18n.t('common.startingToShare')}
        </p>
      </section>
    );
  }
  const paused = status === 'paused';
  const what = sourceText(sharing);
  return (
    <section class={`livebar ${status}`} aria-label={i18n.t('live.label')}>
      {showThumbnail && (
        <div class="live-thumb">
          {thumbnail ? <img src={thumbnail.dataUrl} alt={i18n.t('common.whatSightlineSees')} draggable={false} /> : <span class="thumb-empty" aria-hidden="true" />}
          {regionCount > 0 && (
            <span class="thumb-badge" title={i18n.t('live.regionsHidden', regionCount)} aria-hidden="true">
              {regionCount}
            </span>
          )}
          <button type="button" id={openerId('preview')} class="thumb-open" title={i18n.t('live.preview')} onClick={onPreview}>
            <span class="sr-only">{i18n.t('live.preview')}</span>
          </button>
        </div>
      )}
      <div class="live-main">
        <p class="live-status" role="status">
          <span class="dot" aria-hidden="true" />
          <strong>{paused ? i18n.t('live.paused') : i18n.t('live.sharing')}</strong>
          {what && (
            <span class="live-what" title={what}>
              {' · '}
              {what}
            </span>
          )}
          {/* The tab's sound is kept too (its last minute, in memory): the indicator says so. */}
          {sharing?.sound && !paused && (
            <span class="live-sound">
              {' · '}
              {i18n.t('point.liveSound')}
            </span>
          )}
        </p>
        {paused && sharing?.endedReason && <p class="live-reason meta">{sharing.endedReason}</p>}
        <div class="live-actions">
          {paused ? (
            <button type="button" onClick={onResume}>
              <Icon name="play" size={16} />
              {i18n.t('live.resume')}
            </button>
          ) : (
            <button type="button" onClick={onPause} aria-keyshortcuts="Alt+Shift+P" title={i18n.t('live.pauseTitle')}>
              <Icon name="pause" size={16} />
              {i18n.t('live.pause')}
            </button>
          )}
          <button type="button" class="danger" onClick={onStop}>
            <Icon name="stop" size={16} />
            {i18n.t('live.stop')}
          </button>
        </div>
        <LiveTalk
          live={talk.live}
          level={talk.level}
          onStart={talk.onStartLive}
          onEnd={talk.onEndLive}
          onMute={talk.onMute}
          costPerMinute={talk.costPerMinute}
          unavailable={talk.ownServer ? 'own-server' : paused ? 'paused' : undefined}
        />
      </div>
    </section>
  );
}
