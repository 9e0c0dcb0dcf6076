/**
 * The question box. Above it, what goes along with a question ("Tab: <title>", "Camera", "Nothing shared")
 * and, while sharing, "Look closer" (a sharper frame with the next question). Enter sends, Shift+Enter is a
 * newline; while an answer streams, Send becomes Stop in the same place. Before setup or the notice, the
 * box is disabled and says why.
 */
import type { ComponentChildren, RefObject } from 'preact';
import { useState } from 'preact/hooks';
import type { SharingState } from '../lib/protocol/messages.ts';
import { Icon } from './Icons.tsx';

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
  onAsk: (text: string, closer: boolean) => void;
  onStop: () => void;
}

/** "Tab: Quarterly slides", "Camera", "Screen": what a question's picture shows. */
export function sourceText(sharing: SharingState | undefined): string {
  const label = sharing?.label?.trim();
  switch (sharing?.source) {
    case 'camera':
      return label ? `Camera: ${label}` : 'Camera';
    case 'screen':
      return label ? `Screen: ${label}` : 'Screen';
    case 'tab':
      return label ? `Tab: ${label}` : 'This tab';
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
      <span class="chip live" title={`A picture of ${what} goes with your question`}>
        <span class="dot" aria-hidden="true" />
        <span class="sr-only">Sends a picture of </span>
        <span class="chip-text">{what}</span>
      </span>
    );
  }
  if (status === 'paused') return <span class="chip">Paused · no picture goes along</span>;
  if (status === 'starting') return <span class="chip">Starting to share…</span>;
  return (
    <span class="chip off">
      {shareButtons ? 'Nothing shared ·' : 'Nothing shared · text only'}
      {shareButtons}
    </span>
  );
}

/** The ask box; its text is owned by the caller (so a failed question can be put back). */
export function AskBox({ text, onText, inputRef, blocked, answering, sharing, shareButtons, ended, onAsk, onStop }: Props) {
  const [closer, setCloser] = useState(false);
  const live = sharing?.status === 'on';
  const ready = !blocked && !answering && text.trim().length > 0;
  const submit = () => {
    if (!ready) return;
    onAsk(text.trim(), closer && live);
    onText('');
    setCloser(false);
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
          Sharing stopped: {ended}
        </p>
      )}
      <div class="context" id="ask-context">
        <Context blocked={blocked} sharing={sharing} shareButtons={shareButtons} />
        {live && (
          <button
            type="button"
            class="closer"
            aria-pressed={closer ? 'true' : 'false'}
            title="Send the next question with a sharper, higher-resolution frame"
            onClick={() => setCloser((c) => !c)}
          >
            <Icon name="zoom" size={16} />
            Look closer
          </button>
        )}
      </div>
      <label for="ask-input" class="sr-only">
        Ask about what you see
      </label>
      <div class="ask-row">
        <textarea
          id="ask-input"
          ref={inputRef}
          rows={2}
          value={text}
          disabled={blocked !== undefined}
          aria-describedby="ask-context"
          placeholder={blocked ? '' : 'Ask about what you see…'}
          onInput={(e) => onText(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              submit();
            }
          }}
        />
        {answering ? (
          <button type="button" class="send danger" aria-label="Stop answering" onClick={onStop}>
            <Icon name="stop" size={16} />
            Stop
          </button>
        ) : (
          <button type="submit" class="send primary" disabled={!ready}>
            <Icon name="send" size={16} />
            Send
          </button>
        )}
      </div>
    </form>
  );
}
