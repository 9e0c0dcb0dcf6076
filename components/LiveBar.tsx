/**
 * The live bar: while something is shared it sits under the header and never scrolls away — the sharing
 * dot, what is shared (or Paused), a small live thumbnail that opens the preview and region editor, and
 * Pause/Resume and Stop sharing, fully visible from 320 px wide (like the browser's own sharing bar).
 */
import type { SharingState } from '../lib/protocol/messages.ts';
import type { Thumbnail } from '../lib/panel/view-model.ts';
import { Icon } from './Icons.tsx';
import { sourceText } from './AskBox.tsx';
import { openerId } from './Header.tsx';

interface Props {
  sharing: SharingState | undefined;
  thumbnail: Thumbnail | undefined;
  /** False while the preview itself is open (one picture of the share on screen is enough). */
  showThumbnail: boolean;
  regionCount: number;
  onPreview: () => void;
  onPause: () => void;
  onResume: () => void;
  onStop: () => void;
}

/** The live bar while sharing (or starting to); nothing while not sharing. */
export function LiveBar({ sharing, thumbnail, showThumbnail, regionCount, onPreview, onPause, onResume, onStop }: Props) {
  const status = sharing?.status ?? 'off';
  if (status === 'off') return null;
  if (status === 'starting') {
    return (
      <section class="livebar starting" aria-label="Sharing">
        <p class="live-status" role="status">
          <span class="dot" aria-hidden="true" />
          Starting to share…
        </p>
      </section>
    );
  }
  const paused = status === 'paused';
  const what = sourceText(sharing);
  return (
    <section class={`livebar ${status}`} aria-label="Sharing">
      {showThumbnail && (
        <div class="live-thumb">
          {thumbnail ? <img src={thumbnail.dataUrl} alt="What Sightline sees" draggable={false} /> : <span class="thumb-empty" aria-hidden="true" />}
          {regionCount > 0 && (
            <span class="thumb-badge" title={regionCount === 1 ? '1 region hidden' : `${regionCount} regions hidden`} aria-hidden="true">
              {regionCount}
            </span>
          )}
          <button type="button" id={openerId('preview')} class="thumb-open" title="Preview and hide regions" onClick={onPreview}>
            <span class="sr-only">Preview and hide regions</span>
          </button>
        </div>
      )}
      <div class="live-main">
        <p class="live-status" role="status">
          <span class="dot" aria-hidden="true" />
          <strong>{paused ? 'Sharing paused' : 'Sharing'}</strong>
          {what && (
            <span class="live-what" title={what}>
              {' · '}
              {what}
            </span>
          )}
        </p>
        {paused && sharing?.endedReason && <p class="live-reason meta">{sharing.endedReason}</p>}
        <div class="live-actions">
          {paused ? (
            <button type="button" onClick={onResume}>
              <Icon name="play" size={16} />
              Resume
            </button>
          ) : (
            <button type="button" onClick={onPause} aria-keyshortcuts="Alt+Shift+P" title="Pause (Alt+Shift+P)">
              <Icon name="pause" size={16} />
              Pause
            </button>
          )}
          <button type="button" class="danger" onClick={onStop}>
            <Icon name="stop" size={16} />
            Stop sharing
          </button>
        </div>
      </div>
    </section>
  );
}
