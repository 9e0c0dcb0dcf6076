/**
 * What goes with the next question besides the frame of now (issue 14), under the ask box's context line:
 * "Point" (mark a part of the picture, PointPicker.tsx), "Sound" (the tab's last minute of sound, only when the
 * share hears the tab; otherwise why not, from SharingState.soundNote) and "Show where" (the answer marks the
 * places it talks about). Above them, a chip for the part pointed at or the earlier scene chosen, each with a
 * button that forgets it. Sound and Show where are toggles for the next question; when off, the service worker
 * still adds them when the question clearly asks about speech or places.
 */
import type { Region } from '../lib/core/frames/redaction.ts';
import type { SharingState } from '../lib/protocol/messages.ts';
import { regionText } from './RegionList.tsx';
import { Icon } from './Icons.tsx';
import { openerId } from './Header.tsx';
import { i18n } from '#i18n';

/** The toggles' state, owned by the ask box (reset after each question). */
export interface AskToggles {
  sound: boolean;
  showWhere: boolean;
}

interface Props {
  sharing: SharingState | undefined;
  toggles: AskToggles;
  onToggles: (next: AskToggles) => void;
  /** The part pointed at for the next question, if any. */
  pointed?: Region | undefined;
  /** The earlier scene chosen on the timeline, as its time of day, if any. */
  sceneTime?: string | undefined;
  onPoint: () => void;
  onClearPoint: () => void;
  onClearScene: () => void;
}

/** The chips and toggles; nothing while nothing is shared and no scene is chosen. */
export function AskOptions({ sharing, toggles, onToggles, pointed, sceneTime, onPoint, onClearPoint, onClearScene }: Props) {
  const live = sharing?.status === 'on';
  if (!live && !sceneTime) return null;
  const toggle = (key: keyof AskToggles, label: string, title: string) => (
    <button type="button" class="closer toggle" aria-pressed={toggles[key] ? 'true' : 'false'} title={title} onClick={() => onToggles({ ...toggles, [key]: !toggles[key] })}>
      {label}
    </button>
  );
  return (
    <div class="ask-options">
      {(pointed || sceneTime) && (
        <p class="ask-chips">
          {sceneTime && (
            <span class="chip pointed">
              <span class="chip-text">{i18n.t('point.sceneChip', { time: sceneTime })}</span>
              <button type="button" class="chip-clear" aria-label={i18n.t('point.sceneClear')} title={i18n.t('point.sceneClear')} onClick={onClearScene}>
                ×
              </button>
            </span>
          )}
          {pointed && !sceneTime && (
            <span class="chip pointed">
              <span class="chip-text">{i18n.t('point.chip', { where: regionText(pointed) })}</span>
              <button type="button" class="chip-clear" aria-label={i18n.t('point.clear')} title={i18n.t('point.clear')} onClick={onClearPoint}>
                ×
              </button>
            </span>
          )}
        </p>
      )}
      {live && !sceneTime && (
        <div class="ask-toggles">
          <button type="button" id={openerId('point')} class="closer" title={i18n.t('point.buttonTitle')} onClick={onPoint}>
            <Icon name="point" size={16} />
            {i18n.t('point.button')}
          </button>
          {sharing?.sound && toggle('sound', i18n.t('point.sound'), i18n.t('point.soundTitle'))}
          {toggle('showWhere', i18n.t('point.showWhere'), i18n.t('point.showWhereTitle'))}
        </div>
      )}
      {live && !sharing?.sound && sharing?.soundNote && <p class="meta sound-note">{i18n.t('point.noSound', { reason: sharing.soundNote })}</p>}
    </div>
  );
}
