/** Start, pause and stop sharing; while sharing, a plain "Sharing" indicator and what Sightline sees. */
import type { SharingState } from '../lib/protocol/messages.ts';
import type { SourceKind } from '../lib/core/types.ts';
import type { Thumbnail } from '../lib/panel/view-model.ts';
import type { Region } from '../lib/core/frames/redaction.ts';
import { RedactionEditor } from './RedactionEditor.tsx';

const SOURCE_NAMES: Record<SourceKind, string> = { tab: 'tab', camera: 'camera', screen: 'screen' };

interface Props {
  sharing: SharingState | undefined;
  thumbnail: Thumbnail | undefined;
  /** Sharing is not offered before the consent statement is accepted. */
  allowed: boolean;
  cameraError: string | undefined;
  /** A notice is already on screen: the same reason need not be said twice. */
  noticeShown: boolean;
  onShare: (source: SourceKind) => void;
  onPause: () => void;
  onResume: () => void;
  onStop: () => void;
  /** Regions hidden in every frame of this share. */
  regions: Region[];
  onRegions: (regions: Region[]) => void;
}

export function SharingControls(props: Props) {
  const { sharing, thumbnail, allowed, cameraError, noticeShown, onShare, onPause, onResume, onStop } = props;
  const status = sharing?.status ?? 'off';
  if (status === 'on' || status === 'paused') {
    const what = sharing?.label || (sharing?.source ? `your ${SOURCE_NAMES[sharing.source]}` : '');
    return (
      <section class={`sharing ${status}`} aria-label="Sharing">
        <p class="sharing-indicator" role="status">
          <span class="dot" aria-hidden="true" />
          <strong>{status === 'paused' ? 'Sharing paused' : 'Sharing'}</strong>
          {what && <span class="sharing-label">: {what}</span>}
        </p>
        <RedactionEditor thumbnail={thumbnail} regions={props.regions} site={sharing?.site} onChange={props.onRegions} />
        <div class="row">
          {status === 'paused' ? (
            <button type="button" onClick={onResume}>
              Resume
            </button>
          ) : (
            <button type="button" onClick={onPause} aria-keyshortcuts="Alt+Shift+P">
              Pause
            </button>
          )}
          <button type="button" class="danger" onClick={onStop}>
            Stop sharing
          </button>
        </div>
        <p class="hint">Alt+Shift+P pauses or resumes from anywhere.</p>
      </section>
    );
  }
  const starting = status === 'starting';
  const disabled = !allowed || starting;
  return (
    <section class="sharing off" aria-label="Sharing">
      <div class="row share-buttons">
        <button type="button" class="primary" disabled={disabled} onClick={() => onShare('tab')}>
          Share this tab
        </button>
        <button type="button" disabled={disabled} onClick={() => onShare('camera')}>
          Share camera
        </button>
        <button type="button" disabled={disabled} onClick={() => onShare('screen')}>
          Share screen
        </button>
      </div>
      {starting && <p role="status">Starting to share…</p>}
      {!starting && !noticeShown && sharing?.endedReason && <p role="status">Sharing stopped: {sharing.endedReason}</p>}
      {cameraError && (
        <p class="error" role="alert">
          {cameraError}
        </p>
      )}
    </section>
  );
}
