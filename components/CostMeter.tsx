/** Cost you can see: the conversation's tokens, frames kept and dropped, the estimated cost and the budget. */
import { formatCost } from '../lib/core/conversation/cost.ts';
import { meterOf } from '../lib/core/conversation/spend-limit.ts';
import type { Settings } from '../lib/core/settings.ts';
import type { SessionView, Usage } from '../lib/core/types.ts';

const n = (v: number) => v.toLocaleString('en');

/** "1,234 prompt + 56 answer tokens": how a turn or a session's usage reads. */
export function tokensText(usage: Usage): string {
  return `${n(usage.promptTokens)} prompt + ${n(usage.answerTokens)} answer tokens`;
}

export function CostMeter({ session, settings }: { session: SessionView; settings: Settings }) {
  const m = meterOf(session, settings);
  const budget = settings.sessionBudget;
  return (
    <section class="meter" aria-label="Cost of this conversation">
      <p>
        <strong>This conversation:</strong> {tokensText(m.usage)}, about {formatCost(m.cost)}.
      </p>
      <p class="meta">
        Frames kept {n(m.framesKept)}, dropped as unchanged {n(m.framesDropped)}. Prices: {formatCost(settings.inputPricePerMillion)}{' '}
        and {formatCost(settings.outputPricePerMillion)} per million prompt and answer tokens (Settings).
      </p>
      {budget > 0 && m.budgetUsed !== undefined && (
        <p class={m.overBudget ? 'error' : 'meta'}>
          Budget: {Math.min(999, Math.round(m.budgetUsed * 100))}% of {formatCost(budget)} used
          {m.overBudget ? ': sharing pauses.' : '.'}
        </p>
      )}
    </section>
  );
}
