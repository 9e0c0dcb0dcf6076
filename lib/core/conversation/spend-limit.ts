/** The session budget as Settings express it (prices per million, a cost cap; 0 = none). Pure. */
import type { Settings } from '../settings.ts';
import { budgetError, costMeter, type CostMeter, type Prices, type SpendLimit } from './cost.ts';
import type { Conversation, UserError } from '../types.ts';

type CostSettings = Pick<Settings, 'inputPricePerMillion' | 'outputPricePerMillion' | 'sessionBudget'>;

export function pricesOf(s: CostSettings): Prices {
  return { inputPerMillion: s.inputPricePerMillion, outputPerMillion: s.outputPricePerMillion };
}

export function budgetOf(s: CostSettings): SpendLimit {
  return s.sessionBudget > 0 ? { maxCost: s.sessionBudget } : {};
}

/** The notice that pauses sharing once the session's estimated cost reaches the budget, or null. */
export function overBudget(session: Conversation, s: CostSettings): UserError | null {
  return s.sessionBudget > 0 ? budgetError(session, pricesOf(s), budgetOf(s)) : null;
}

/** The panel's meter (its ConversationView has no frames; the meter does not need them). */
export function meterOf(session: Omit<Conversation, 'frames'>, s: CostSettings): CostMeter {
  return costMeter({ ...session, frames: [] }, pricesOf(s), budgetOf(s));
}
