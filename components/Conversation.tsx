/** The conversation log; follows the newest words unless the reader has scrolled up. */
import { useLayoutEffect, useRef } from 'preact/hooks';
import type { Turn } from '../lib/core/types.ts';
import { TurnView } from './TurnView.tsx';
import type { Prices } from '../lib/core/conversation/cost.ts';

export function Conversation({ turns, busy, prices }: { turns: Turn[]; busy: boolean; prices?: Prices }) {
  const ref = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  const last = turns.at(-1);
  useLayoutEffect(() => {
    const el = ref.current;
    if (el && following.current) el.scrollTop = el.scrollHeight;
  }, [turns.length, last?.answer, last?.status]);
  const onScroll = () => {
    const el = ref.current;
    if (el) following.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 40;
  };
  return (
    <div
      ref={ref}
      class="log"
      role="log"
      aria-live="polite"
      aria-label="Conversation"
      // Announce an answer once it is complete, not every few words.
      aria-busy={busy ? 'true' : 'false'}
      tabIndex={0}
      onScroll={onScroll}
    >
      {turns.length === 0 ? (
        <p class="empty">Share something, then ask about it. Answers appear here.</p>
      ) : (
        turns.map((turn) => <TurnView key={turn.id} turn={turn} prices={prices} />)
      )}
    </div>
  );
}
