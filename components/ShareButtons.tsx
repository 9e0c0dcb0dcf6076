/**
 * The three ways to start sharing, in one place at a time: large in the empty conversation, compact in the
 * ask box's context line once there is a conversation. Each is a real button named "Share this tab",
 * "Share camera", "Share screen".
 */
import type { SourceKind } from '../lib/core/types.ts';
import { Icon } from './Icons.tsx';
import { i18n } from '#i18n';

interface Props {
  disabled: boolean;
  onShare: (source: SourceKind) => void;
  compact?: boolean;
}

/** Share this tab / camera / screen, large or compact. */
export function ShareButtons({ disabled, onShare, compact }: Props) {
  if (compact) {
    return (
      <span class="share-compact">
        <button type="button" class="link-button" disabled={disabled} onClick={() => onShare('tab')}>
          {i18n.t('share.tab')}
        </button>
        <button type="button" class="icon-button small" aria-label={i18n.t('share.camera')} title={i18n.t('share.camera')} disabled={disabled} onClick={() => onShare('camera')}>
          <Icon name="camera" size={16} />
        </button>
        <button type="button" class="icon-button small" aria-label={i18n.t('share.screen')} title={i18n.t('share.screen')} disabled={disabled} onClick={() => onShare('screen')}>
          <Icon name="screen" size={16} />
        </button>
      </span>
    );
  }
  return (
    <div class="share-buttons">
      <button type="button" class="primary big" disabled={disabled} onClick={() => onShare('tab')}>
        <Icon name="tab" size={20} />
        {i18n.t('share.tab')}
      </button>
      <div class="row">
        <button type="button" disabled={disabled} onClick={() => onShare('camera')}>
          <Icon name="camera" />
          {i18n.t('share.camera')}
        </button>
        <button type="button" disabled={disabled} onClick={() => onShare('screen')}>
          <Icon name="screen" />
          {i18n.t('share.screen')}
        </button>
      </div>
    </div>
  );
}

/** The empty conversation while nothing is shared: what Sightline does, and the big Share button. */
export function ShareCard({ disabled, starting, onShare }: { disabled: boolean; starting: boolean; onShare: (source: SourceKind) => void }) {
  return (
    <section class="empty-state" aria-labelledby="share-title">
      <h2 id="share-title">{i18n.t('share.title')}</h2>
      <p class="meta">{i18n.t('share.intro')}</p>
      <ShareButtons disabled={disabled || starting} onShare={onShare} />
    </section>
  );
}

const suggestions = () => [i18n.t('suggest.onScreen'), i18n.t('suggest.summarise'), i18n.t('suggest.lookFirst')];

/** The empty conversation while sharing: a few questions to start with. */
export function Suggestions({ paused, onAsk }: { paused: boolean; onAsk: (question: string) => void }) {
  return (
    <section class="empty-state" aria-labelledby="suggest-title">
      <h2 id="suggest-title">{i18n.t('suggest.title')}</h2>
      {paused ? (
        <p class="meta">{i18n.t('suggest.paused')}</p>
      ) : (
        <p class="meta">{i18n.t('suggest.intro')}</p>
      )}
      <ul class="suggestions">
        {suggestions().map((q) => (
          <li key={q}>
            <button type="button" class="suggestion" onClick={() => onAsk(q)}>
              {q}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
