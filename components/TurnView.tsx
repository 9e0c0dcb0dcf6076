/** One question and its answer, rendered as sanitized markdown while it streams. */
import { useMemo } from 'preact/hooks';
import type { Turn } from '../lib/core/types.ts';
import { renderMarkdown } from '../lib/panel/markdown.ts';
import { retryText } from './Notice.tsx';
import { useNow } from '../lib/panel/hooks.ts';
import { tokensText } from './CostMeter.tsx';
import { costOf, formatCost, type Prices } from '../lib/core/conversation/cost.ts';
import { isIncomplete } from '../lib/core/answers/endings.ts';

function Waiting({ since }: { since: number }) {
  const now = useNow(true);
  const seconds = Math.max(0, Math.floor((now - since) / 1000));
  return (
    <p class="waiting">
      Sent.{' '}
      {/* The ticking count is for the eye; a screen reader hears the answer when it comes. */}
      <span aria-hidden="true">Waiting {seconds} s…</span>
    </p>
  );
}

export function TurnView({ turn, prices }: { turn: Turn; prices?: Prices }) {
  const html = useMemo(() => renderMarkdown(turn.answer), [turn.answer]);
  const waiting = turn.status === 'waiting' || (turn.status === 'streaming' && !turn.answer);
  return (
    <article class={`turn ${turn.status}`} aria-label={`Question: ${turn.question}`}>
      <p class="question">{turn.question}</p>
      {waiting && <Waiting since={turn.askedAt} />}
      {/* Thought summaries are never the answer: collapsed, plain text (no markdown). */}
      {turn.thoughts && (
        <details class="thinking">
          <summary>Thinking</summary>
          <p class="meta" style={{ whiteSpace: 'pre-wrap' }}>{turn.thoughts}</p>
        </details>
      )}
      {turn.answer && <div class="answer" dangerouslySetInnerHTML={{ __html: html }} />}
      {turn.answer && isIncomplete(turn) && turn.status !== 'stopped' && <p class="meta incomplete">Incomplete answer.</p>}
      {turn.status === 'stopped' && <p class="meta">Stopped.</p>}
      {turn.ending && <p class="ending">{turn.ending.message}</p>}
      {turn.textOnly && <p class="meta">This model cannot see pictures, so it was not sent the screen; it was told a picture was left out.</p>}
      {turn.usage && (
        <p class="meta usage">
          {tokensText(turn.usage)}
          {prices ? `, about ${formatCost(costOf(turn.usage, prices))}` : ''}
        </p>
      )}
      {turn.error && (
        <p class="error">
          {turn.error.message}
          {retryText(turn.error)}
        </p>
      )}
    </article>
  );
}
