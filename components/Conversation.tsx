/**
 * The one conversation area: the log of turns (an aria-live region), scrolled so the reader keeps their
 * place (lib/panel/log-scroll.ts), a "Jump to newest" button under it when far up (in the flow, so it never
 * covers text), and an empty state when there is nothing yet.
 */
import type { ComponentChildren } from 'preact';
import type { Turn } from '../lib/core/types.ts';
import type { Prices } from '../lib/core/conversation/cost.ts';
import { useLogScroll } from '../lib/panel/log-scroll.ts';
import { TurnView } from './TurnView.tsx';
import { Icon } from './Icons.tsx';
import type { PanelView } from '../lib/panel/view-model.ts';
import { i18n } from '#i18n';

interface Props {
  sessionId: string | undefined;
  turns: Turn[];
  busy: boolean;
  prices?: Prices;
  /** Shown in the log while it has no turns. */
  empty: ComponentChildren;
  onRetry: (turn: Turn) => void;
  onEditQuestion: (turn: Turn) => void;
  onOpenSettings: () => void;
  /** Kept frames the panel has, for the turns' crops and pointed places. */
  frames?: PanelView['frames'];
}

/** The conversation log, or `empty` while it has no turns. */
export function Conversation({ sessionId, turns, busy, prices, empty, onRetry, onEditQuestion, onOpenSettings, frames }: Props) {
  const scroll = useLogScroll(sessionId, turns);
  const lastId = turns.at(-1)?.id;
  return (
    <div class="log-wrap">
      <div
        ref={scroll.ref}
        class="log"
        role="log"
        aria-live="polite"
        // New turns and new words are announced; a countdown's ticking number (a text change) is not.
        aria-relevant="additions"
        aria-label={i18n.t('conversation.label')}
        // Announce an answer once it is complete, not every few words.
        aria-busy={busy ? 'true' : 'false'}
        tabIndex={0}
        onScroll={scroll.onScroll}
      >
        {turns.length === 0
          ? empty
          : turns.map((turn) => (
              <TurnView
                key={turn.id}
                turn={turn}
                prices={prices}
                pinned={turn.id === scroll.pinnedId}
                latest={turn.id === lastId}
                frames={frames}
                actions={{ onRetry: () => onRetry(turn), onEditQuestion: () => onEditQuestion(turn), onOpenSettings }}
              />
            ))}
      </div>
      {scroll.farFromNewest && turns.length > 0 && (
        <button type="button" class="jump" onClick={scroll.jumpToNewest}>
          <Icon name="down" size={16} />
          {i18n.t('conversation.jump')}
        </button>
      )}
    </div>
  );
}
