/**
 * The question box. Above it, what goes along with a question ("Tab: <title>", "Camera", "Nothing shared")
 * and, while sharing, "Look closer" (a sharper frame with the next question). Enter sends, Shift+Enter is a
 * newline; while an answer streams, Send becomes Stop in the same place. Before setup or the notice, the
 * box is disabled and says why.
 */
import type { ComponentChildren, RefObject } from 'preact';
import { useState } from 'preact/hooks';
import type { SharingState } from '../lib/protocol/messages.ts';
import type { Region } from '../lib/core/frames/redaction.ts';
import { Icon } from './Icons.tsx';
import { AskOptions, type AskToggles } from './AskOptions.tsx';
import { i18n } from '#i18n';

interface Props {
  text: string;
  onText: (text: string) => void;
  inputRef: RefObject<HTMLTextAreaElement | null>;
  /** Why asking is not possible yet (setup, notice), or undefined. */
  blocked: string | undefined;
  answering: boolean;
  sharing: SharingState | undefined;
  /** Share buttons for the context line, when nothing is shared and the conversation has begun. */
  shareButtons?: ComponentChildren;
  /** Why sharing stopped by itself, when no notice says it already. */
  ended?: string;
  onAsk: (text: string, options: AskExtras) => void;
  onStop: () => void;
  /** The part pointed at for the next question (PointPicker.tsx), if any. */
  pointed?: Region;
  /** The earlier scene chosen on the timeline, as its time of day, if any. */
  sceneTime?: string;
  onPoint: () => void;
  onClearPoint: () => void;
  onClearScene: () => void;
}

/** What the toggles add to a question: a sharper frame, the tab's sound, boxes (absent: the service worker decides). */
export interface AskExtras {
  closer: boolean;
  withSound?: true;
  pointBack?: true;
}

const NO_TOGGLES: AskToggles = { sound: false, showWhere: false };

/** "Tab: Quarterly slides", "Camera", "Screen": what a question's picture shows. */
export function sourceText(sharing: SharingState | undefined): string {
  const label = sharing?.label?.trim();
  switch (sharing?.source) {
    case 'camera':
      return label ? i18n.t('source.cameraNamed', { label }) : i18n.t('source.camera');
    case 'screen':
      return label ? i18n.t('source.screenNamed', { label }) : i18n.t('source.screen');
    case 'tab':
      return label ? i18n.t('source.tabNamed', { label }) : i18n.t('source.tab');
    default:
      return label ?? '';
  }
}

function Context({ blocked, sharing, shareButtons }: Pick<Props, 'blocked' | 'sharing' | 'shareButtons'>) {
  const status = sharing?.status ?? 'off';
  if (blocked) return <span class="chip blocked">{blocked}</span>;
  if (status === 'on') {
    const what = sourceText(sharing);
    return (
      <span class="chip live" title={i18n.t('ask.pictureGoes', { what })}>
        <span class="dot" aria-hidden="true" />
        <span class="sr-only">{i18n.t('ask.sendsPictureOf')}</span>
        <span class="chip-text">{what}</span>
      </span>
    );
  }
  if (status === 'paused') return <span class="chip">{i18n.t('ask.paused')}</span>;
  if (status === 'starting') return <span class="chip">{i18n.t('common.startingToShare')}</span>;
  return (
    <span class="chip off">
      {shareButtons ? i18n.t('ask.nothingShared') : i18n.t('ask.nothingSharedTextOnly')}
      {shareButtons}
    </span>
  );
}

/** The ask box; its text is owned by the caller (so a failed question can be put back). */
export function AskBox({ text, onText, inputRef, blocked, answering, sharing, shareButtons, ended, onAsk, onStop, ...point }: Props) {
  const [closer, setCloser] = useState(false);
  const [toggles, setToggles] = useState(NO_TOGGLES);
  const live = sharing?.status === 'on';
  const ready = !blocked && !answering && text.trim().length > 0;
  const submit = () => {
    if (!ready) return;
    onAsk(text.trim(), {
      closer: closer && live,
      ...(toggles.sound && live && sharing?.sound ? { withSound: true } : {}),
      ...(toggles.showWhere && live ? { pointBack: true } : {}),
    });
    onText('');
    setCloser(false);
    setToggles(NO_TOGGLES);
  };
  return (
    <form
      class="ask"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      {ended && (
        <p class="ended meta" role="status">
          {i18n.t('ask.sharingStopped', { reason: ended })}
        </p>
      )}
      <div class="context" id="ask-context">
        <Context blocked={blocked} sharing={sharing} shareButtons={shareButtons} />
        {live && (
          <button
            type="button"
            class="closer"
            aria-pressed={closer ? 'true' : 'false'}
            title={i18n.t('ask.closerTitle')}
            onClick={() => setCloser((c) => !c)}
          >
            <Icon name="zoom" size={16} />
            {i18n.t('ask.closer')}
          </button>
        )}
      </div>
      <AskOptions sharing={sharing} toggles={toggles} onToggles={setToggles} {...point} />
      <label for="ask-input" class="sr-only">
        {i18n.t('ask.label')}
      </label>
      <div class="ask-row">
        <textarea
          id="ask-input"
          ref={inputRef}
          rows={2}
          value={text}
          disabled={blocked !== undefined}
          aria-describedby="ask-context"
          placeholder={blocked ? '' : i18n.t('ask.placeholder')}
          onInput={(e) => onText(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              submit();
            }
          }}
        />
        {answering ? (
          <button type="button" class="send danger" aria-label={i18n.t('ask.stopLabel')} onClick={onStop}>
            <Icon name="stop" size={16} />
            {i18n.t('ask.stop')}
          </button>
        ) : (
          <button type="submit" class="send primary" disabled={!ready}>
            <Icon name="send" size={16} />
            {i18n.t('ask.send')}
          </button>
        )}
      </div>
    </form>
  );
}
