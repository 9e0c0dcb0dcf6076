/**
 * Cost you can see (docs/decisions/0005-cost-meter.md): tokens per turn and per session from usageMetadata, an estimated price from
 * a price per million tokens (a setting: prices change and differ by model), and an optional session budget.
 */
import type { Session, Usage, UserError } from '../types.ts';

export interface Prices {
  /** Currency units per million prompt (input) tokens. */
  inputPerMillion: number;
  /** Currency units per million answer (output) tokens, thinking included. */
  outputPerMillion: number;
}

/** A starting point only (USD, a Flash-class model); the user sets the real prices. */
export const DEFAULT_PRICES: Prices = { inputPerMillion: 0.3, outputPerMillion: 2.5 };

export interface SessionBudget {
  /** Stop sharing once the estimated cost reaches this (currency units). */
  maxCost?: number;
  /** Stop sharing once prompt + answer tokens reach this. */
  maxTokens?: number;
}

/** The fields of Gemini's usageMetadata this needs (a running total in each streamed chunk: use the last). */
export interface UsageMetadataLike {
  promptTokenCount?: number;
  candidatesTokenCount?: number;
  thoughtsTokenCount?: number;
  toolUsePromptTokenCount?: number;
}

/** Thinking tokens are billed as output, tool-use prompt tokens as input. */
export function usageFromMetadata(meta: UsageMetadataLike | undefined): Usage | undefined {
  if (!meta) return undefined;
  return {
    promptTokens: (meta.promptTokenCount ?? 0) + (meta.toolUsePromptTokenCount ?? 0),
    answerTokens: (meta.candidatesTokenCount ?? 0) + (meta.thoughtsTokenCount ?? 0),
  };
}

export function addUsage(a: Usage, b: Usage | undefined): Usage {
  return b ? { promptTokens: a.promptTokens + b.promptTokens, answerTokens: a.answerTokens + b.answerTokens } : a;
}

export function costOf(usage: Usage, prices: Prices): number {
  return (usage.promptTokens * prices.inputPerMillion + usage.answerTokens * prices.outputPerMillion) / 1e6;
}

export interface TurnCost {
  turnId: string;
  usage?: Usage;
  cost: number;
}

export interface CostMeter {
  /** Every model call of the session: answers and summary calls (Session.usage). */
  usage: Usage;
  totalTokens: number;
  cost: number;
  perTurn: TurnCost[];
  framesKept: number;
  framesDropped: number;
  /** Share of the budget used, 0..1+, when a budget is set. */
  budgetUsed?: number;
  overBudget: boolean;
}

export function costMeter(session: Session, prices: Prices, budget: SessionBudget = {}): CostMeter {
  const usage = session.usage;
  const totalTokens = usage.promptTokens + usage.answerTokens;
  const cost = costOf(usage, prices);
  const shares: number[] = [];
  if (budget.maxCost !== undefined && budget.maxCost > 0) shares.push(cost / budget.maxCost);
  if (budget.maxTokens !== undefined && budget.maxTokens > 0) shares.push(totalTokens / budget.maxTokens);
  const budgetUsed = shares.length ? Math.max(...shares) : undefined;
  return {
    usage,
    totalTokens,
    cost,
    perTurn: session.turns.map((t) => ({ turnId: t.id, usage: t.usage, cost: t.usage ? costOf(t.usage, prices) : 0 })),
    framesKept: session.framesKept,
    framesDropped: session.framesDropped,
    budgetUsed,
    overBudget: budgetUsed !== undefined && budgetUsed >= 1,
  };
}

/** "$0.042", "<$0.001": enough digits to see a cost move without pretending to a precision it lacks. */
export function formatCost(amount: number, currency = '$'): string {
  if (amount === 0) return `${currency}0`;
  if (amount < 0.001) return `<${currency}0.001`;
  if (amount < 1) return `${currency}${amount.toFixed(3)}`;
  return `${currency}${amount.toFixed(2)}`;
}

/** The error that pauses sharing once the session's budget is reached, or null while it is not. */
export function budgetError(session: Session, prices: Prices, budget: SessionBudget): UserError | null {
  const m = costMeter(session, prices, budget);
  if (!m.overBudget) return null;
  const spent = `${formatCost(m.cost)} (${m.totalTokens.toLocaleString('en')} tokens)`;
  return {
    kind: 'budget',
    message: `This session reached its budget: ${spent} spent. Sharing is paused; raise the budget in Settings or start a new session to continue.`,
  };
}
