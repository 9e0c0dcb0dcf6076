/** The spend limit as Settings express it (prices per million, a cost cap; 0 = none). Pure. */
import type { Settings } from '../settings.ts';
import { spendLimitError, costMeter, type CostMeter, type Prices, type SpendLimit } from './cost.ts';
import type { Conversation, UserError } from '../types.ts';

type CostSettings = Pick<Settings, 'inputPricePerMillion' | 'outputPricePerMillion' | 'spendLimit'>;

export function pricesOf(s: CostSettings): Prices {
  return { inputPerMillion: s.inputPricePerMillion, outputPerMillion: s.outputPricePerMillion };
}

export function spendLimitOf(s: CostSettings): SpendLimit {
  return s.spendLimit > 0 ? { maxCost: s.spendLimit } : {};
}

/** The notice that pauses sharing once the session's estimated cost reaches the spend limit, or null. */
export function overSpendLimit(session: Conversation, s: CostSettings): UserError | null {
  return s.spendLimit > 0 ? spendLimitError(session, pricesOf(s), spendLimitOf(s)) : null;
}

/** The panel's meter (its ConversationView has no frames; the meter does not need them). */
export function meterOf(session: Omit<Conversation, 'frames'>, s: CostSettings): CostMeter {
  return costMeter({ ...session, frames: [] }, pricesOf(s), spendLimitOf(s));
}
