/** The question box: Enter sends, Shift+Enter is a newline; "Stop answering" while an answer streams. */
import { useState } from 'preact/hooks';

interface Props {
  canAsk: boolean;
  answering: boolean;
  onAsk: (text: string) => void;
  onStop: () => void;
}

export function AskBox({ canAsk, answering, onAsk, onStop }: Props) {
  const [text, setText] = useState('');
  const ready = canAsk && !answering && text.trim().length > 0;
  const submit = () => {
    if (!ready) return;
    onAsk(text.trim());
    setText('');
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
        onInput={(e) => setText(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            submit();
          }
        }}
      />
      <div class="row end">
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
