/**
 * Cost you can see, without it crowding the answers: a compact chip in the header (it turns amber only
 * near the spend limit) that opens the full meter — tokens, frames kept and dropped, cost, prices, spend limit.
 */
import { formatCost } from '../lib/core/conversation/cost.ts';
import { meterOf } from '../lib/core/conversation/spend-limit.ts';
import type { Settings } from '../lib/core/settings.ts';
import type { ConversationView, Usage } from '../lib/core/types.ts';
import { i18n } from '#i18n';

const n = (v: number) => v.toLocaleString(i18n.t('locale'));
/** From this share of the spend limit on, the chip warns. */
export const SPEND_LIMIT_WARN_AT = 0.8;
const percent = (share: number) => `${Math.min(999, Math.round(share * 100))}%`;

/** "1,234 prompt + 56 answer tokens": how a turn or a session's usage reads. */
export function tokensText(usage: Usage): string {
  return i18n.t('cost.tokens', { prompt: n(usage.promptTokens), answer: n(usage.answerTokens) });
}

export interface CostChipProps {
  cost: number;
  /** Share of the spend limit used, when one is set. */
  spendLimitUsed?: number;
}

/** The chip's figures, or undefined while nothing has been spent. */
export function costChipOf(session: ConversationView, settings: Settings): CostChipProps | undefined {
  const m = meterOf(session, settings);
  return m.totalTokens > 0 ? { cost: m.cost, spendLimitUsed: m.spendLimitUsed } : undefined;
}

/** The header's cost chip: the estimate, and the spend limit share only once it is near. */
export function CostChip({ cost, spendLimitUsed, id, onOpen }: CostChipProps & { id: string; onOpen: () => void }) {
  const near = spendLimitUsed !== undefined && spendLimitUsed >= SPEND_LIMIT_WARN_AT;
  const over = spendLimitUsed !== undefined && spendLimitUsed >= 1;
  const budget = near ? ` · ${percent(spendLimitUsed)}` : '';
  return (
    <button
      type="button"
      id={id}
      class={`chip cost${over ? ' over' : near ? ' near' : ''}`}
      // The visible text is only the figure (the header is narrow); the name says what it is.
      aria-label={near ? i18n.t('cost.chipLabelNear', { cost: formatCost(cost), percent: percent(spendLimitUsed) }) : i18n.t('cost.chipLabel', { cost: formatCost(cost) })}
      title={i18n.t('common.costTitle')}
      onClick={onOpen}
    >
      {formatCost(cost)}
      {budget}
    </button>
  );
}

/** The full meter, as a view of its own. */
export function CostView({ session, settings, onSettings }: { session: ConversationView; settings: Settings; onSettings: () => void }) {
  const m = meterOf(session, settings);
  const budget = settings.spendLimit;
  return (
    <section class="view-body meter" aria-label={i18n.t('common.costTitle')}>
      <p class="meter-total">
        <strong>{i18n.t('cost.thisConversation')}</strong> {i18n.t('cost.total', { tokens: tokensText(m.usage), cost: formatCost(m.cost) })}
      </p>
      <p>
        {i18n.t('cost.frames', { kept: n(m.framesKept), dropped: n(m.framesDropped) })}
      </p>
      {budget > 0 && m.spendLimitUsed !== undefined ? (
        <div class="spend-limit">
          <p class={m.overSpendLimit ? 'error' : ''}>
            {i18n.t(m.overSpendLimit ? 'cost.spendLimitOver' : 'cost.spendLimitUsed', { percent: percent(m.spendLimitUsed), limit: formatCost(budget) })}
          </p>
          <div class={`bar${m.spendLimitUsed >= SPEND_LIMIT_WARN_AT ? ' near' : ''}`} aria-hidden="true">
            <span style={{ width: `${Math.min(100, m.spendLimitUsed * 100)}%` }} />
          </div>
        </div>
      ) : (
        <p class="meta">{i18n.t('cost.noSpendLimit')}</p>
      )}
      <p class="meta">
        {i18n.t('cost.estimate', { input: formatCost(settings.inputPricePerMillion), output: formatCost(settings.outputPricePerMillion) })}
      </p>
      <div>
        <button type="button" onClick={onSettings}>
          {i18n.t('cost.change')}
        </button>
      </div>
    </section>
  );
}
