/**
 * The three ways to start sharing, in one place at a time: large in the empty conversation, compact in the
 * ask box's context line once there is a conversation. Each is a real button named "Share this tab",
 * "Share camera", "Share screen".
 */
import type { SourceKind } from '../lib/core/types.ts';
import { Icon } from './Icons.tsx';

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
          Share this tab
        </button>
        <button type="button" class="icon-button small" aria-label="Share camera" title="Share camera" disabled={disabled} onClick={() => onShare('camera')}>
          <Icon name="camera" size={16} />
        </button>
        <button type="button" class="icon-button small" aria-label="Share screen" title="Share screen" disabled={disabled} onClick={() => onShare('screen')}>
          <Icon name="screen" size={16} />
        </button>
      </span>
    );
  }
  return (
    <div class="share-buttons">
      <button type="button" class="primary big" disabled={disabled} onClick={() => onShare('tab')}>
        <Icon name="tab" size={20} />
        Share this tab
      </button>
      <div class="row">
        <button type="button" disabled={disabled} onClick={() => onShare('camera')}>
          <Icon name="camera" />
          Share camera
        </button>
        <button type="button" disabled={disabled} onClick={() => onShare('screen')}>
          <Icon name="screen" />
          Share screen
        </button>
      </div>
    </div>
  );
}

/** The empty conversation while nothing is shared: what Sightline does, and the big Share button. */
export function ShareCard({ disabled, starting, onShare }: { disabled: boolean; starting: boolean; onShare: (source: SourceKind) => void }) {
  return (
    <section class="empty-state" aria-labelledby="share-title">
      <h2 id="share-title">Share something to ask about</h2>
      <p class="meta">Sightline sees only what you share. Pictures leave your browser only when you ask a question.</p>
      <ShareButtons disabled={disabled || starting} onShare={onShare} />
    </section>
  );
}

const SUGGESTIONS = ['What is on the screen right now?', 'Summarise what this shows.', 'What should I look at first?'];

/** The empty conversation while sharing: a few questions to start with. */
export function Suggestions({ paused, onAsk }: { paused: boolean; onAsk: (question: string) => void }) {
  return (
    <section class="empty-state" aria-labelledby="suggest-title">
      <h2 id="suggest-title">Ask about what you share</h2>
      {paused ? (
        <p class="meta">Sharing is paused: questions go without a picture until you resume.</p>
      ) : (
        <p class="meta">Each question takes a fresh picture the moment you ask. For example:</p>
      )}
      <ul class="suggestions">
        {SUGGESTIONS.map((q) => (
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
