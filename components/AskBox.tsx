/**
 * The question box: Enter sends, Shift+Enter is a newline; "Stop answering" while an answer streams.
 * "Look closer" sends the next question with a high-resolution frame (for small text, fine detail).
 */
import { useState } from 'preact/hooks';

interface Props {
  canAsk: boolean;
  answering: boolean;
  /** Something is being shared now, so a closer look can be taken. */
  canLookCloser: boolean;
  onAsk: (text: string, closer: boolean) => void;
  onStop: () => void;
  /** The text after each edit: a question is being typed (lib/panel/typing.ts). */
  onTyping?: (text: string) => void;
}

export function AskBox({ canAsk, answering, canLookCloser, onAsk, onStop, onTyping }: Props) {
  const [text, setText] = useState('');
  const [closer, setCloser] = useState(false);
  const ready = canAsk && !answering && text.trim().length > 0;
  const submit = () => {
    if (!ready) return;
    onAsk(text.trim(), closer && canLookCloser);
    setText('');
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
      <label for="ask-input">Ask about what you see</label>
      <textarea
        id="ask-input"
        rows={2}
        value={text}
        placeholder="What is on screen right now?"
        onInput={(e) => {
          setText(e.currentTarget.value);
          onTyping?.(e.currentTarget.value);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            submit();
          }
        }}
      />
      <div class="row end">
        <button
          type="button"
          class="closer"
          aria-pressed={closer && canLookCloser ? 'true' : 'false'}
          disabled={!canLookCloser}
          title="Send the next question with a sharper, higher-resolution frame"
          onClick={() => setCloser((c) => !c)}
        >
          Look closer
        </button>
        {answering && (
          <button type="button" class="danger" onClick={onStop}>
            Stop answering
          </button>
        )}
        <button type="submit" class="primary" disabled={!ready}>
          Send
        </button>
      </div>
    </form>
  );
}
