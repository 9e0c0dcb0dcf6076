/**
 * Cost you can see (docs/decisions/0005-cost-meter.md): tokens per turn and per session from usageMetadata, an estimated price from
 * a price per million tokens (a setting: prices change and differ by model), and an optional spend limit.
 * Input tokens Gemini served from its implicit cache (a repeated request prefix) are priced at the cached rate.
 */
import type { Conversation, Usage, UserError } from '../types.ts';
import type { ModelFamily } from './media-resolution.ts';

export interface Prices {
  /** Currency units per million prompt (input) tokens. */
  inputPerMillion: number;
  /** Currency units per million answer (output) tokens, thinking included. */
  outputPerMillion: number;
  /**
   * Currency units per million input tokens served from the implicit cache (Usage.cachedTokens).
   * Absent: CACHED_INPUT_SHARE of inputPerMillion.
   */
  cachedInputPerMillion?: number;
}

/**
 * Cached input tokens cost this share of the input price when no cached price is set: the pricing page lists
 * context-cache reads at a tenth of the input price for current Flash and Pro models
 * (https://ai.google.dev/gemini-api/docs/pricing, "Context caching price"; Google Cloud's
 * https://cloud.google.com/vertex-ai/generative-ai/docs/context-cache/context-cache-overview: "a 90% discount").
 * The 75% discount announced with implicit caching for Gemini 2.5 (a quarter of the price) is the older figure.
 */
export const CACHED_INPUT_SHARE = 0.1;

/** A starting point only (USD, a Flash-class model); the user sets the real prices. */
export const DEFAULT_PRICES: Prices = { inputPerMillion: 0.3, outputPerMillion: 2.5 };

/** The cached-input price of `prices` (currency units per million tokens). */
export function cachedPrice(prices: Prices): number {
  return prices.cachedInputPerMillion ?? prices.inputPerMillion * CACHED_INPUT_SHARE;
}

/**
 * The shortest request prefix Gemini's implicit cache serves, in tokens: 4,096 for Gemini 3 models, 2,048 for
 * Gemini 2.5 (https://ai.google.dev/gemini-api/docs/caching, "Implicit caching", minimum input token count).
 * A shorter repeated prefix is billed at the full input price.
 */
export function implicitCacheMinTokens(family: ModelFamily): number {
  return family === 'gemini-3' ? 4096 : 2048;
}

export interface SpendLimit {
  /** Stop sharing once the estimated cost reaches this (currency units). */
  maxCost?: number;
  /** Stop sharing once prompt + answer tokens reach this. */
  maxTokens?: number;
}

/**
 * The fields of Gemini's usageMetadata this needs (a running total in each streamed chunk: use the last).
 * https://ai.google.dev/gemini-api/docs/tokens: promptTokenCount includes cachedContentTokenCount;
 * thoughtsTokenCount is not part of candidatesTokenCount.
 */
export interface UsageMetadataLike {
  promptTokenCount?: number;
  candidatesTokenCount?: number;
  thoughtsTokenCount?: number;
  toolUsePromptTokenCount?: number;
  cachedContentTokenCount?: number;
}

/**
 * What Gemini billed for one call: thinking tokens are billed as output, tool-use prompt tokens as input; cached
 * and thinking counts are kept apart too (only when non-zero, so a plain usage stays two fields).
 * undefined when the response carried no usageMetadata.
 */
export function usageFromMetadata(meta: UsageMetadataLike | undefined): Usage | undefined {
  if (!meta) return undefined;
  const usage: Usage = {
    promptTokens: (meta.promptTokenCount ?? 0) + (meta.toolUsePromptTokenCount ?? 0),
    answerTokens: (meta.candidatesTokenCount ?? 0) + (meta.thoughtsTokenCount ?? 0),
  };
  if (meta.cachedContentTokenCount) usage.cachedTokens = meta.cachedContentTokenCount;
  if (meta.thoughtsTokenCount) usage.thoughtsTokens = meta.thoughtsTokenCount;
  return usage;
}

/** a + b, field by field; the optional counts appear in the sum when either side has them. */
export function addUsage(a: Usage, b: Usage | undefined): Usage {
  if (!b) return a;
  const sum: Usage = { promptTokens: a.promptTokens + b.promptTokens, answerTokens: a.answerTokens + b.answerTokens };
  if (a.cachedTokens || b.cachedTokens) sum.cachedTokens = (a.cachedTokens ?? 0) + (b.cachedTokens ?? 0);
  if (a.thoughtsTokens || b.thoughtsTokens) sum.thoughtsTokens = (a.thoughtsTokens ?? 0) + (b.thoughtsTokens ?? 0);
  return sum;
}

/** Cost in currency units: uncached input at the input price, cached input at the cached price, answers at the output price. */
export function costOf(usage: Usage, prices: Prices): number {
  const cached = Math.min(usage.cachedTokens ?? 0, usage.promptTokens);
  const fresh = usage.promptTokens - cached;
  return (fresh * prices.inputPerMillion + cached * cachedPrice(prices) + usage.answerTokens * prices.outputPerMillion) / 1e6;
}

export interface TurnCost {
  turnId: string;
  usage?: Usage;
  cost: number;
}

export interface CostMeter {
  /** Every model call of the session: answers and summary calls (Conversation.usage). */
  usage: Usage;
  totalTokens: number;
  cost: number;
  perTurn: TurnCost[];
  framesKept: number;
  framesDropped: number;
  /** Share of the spend limit used, 0..1+, when a limit is set. */
  spendLimitUsed?: number;
  overSpendLimit: boolean;
}

/**
 * The meter of a session: what Gemini billed (Conversation.usage sums every call's usageMetadata, cached and thinking
 * tokens included), its cost at `prices`, per turn, and how much of `limit` it used.
 */
export function costMeter(session: Conversation, prices: Prices, limit: SpendLimit = {}): CostMeter {
  const usage = session.usage;
  const totalTokens = usage.promptTokens + usage.answerTokens;
  const cost = costOf(usage, prices);
  const shares: number[] = [];
  if (limit.maxCost !== undefined && limit.maxCost > 0) shares.push(cost / limit.maxCost);
  if (limit.maxTokens !== undefined && limit.maxTokens > 0) shares.push(totalTokens / limit.maxTokens);
  const spendLimitUsed = shares.length ? Math.max(...shares) : undefined;
  return {
    usage,
    totalTokens,
    cost,
    perTurn: session.turns.map((t) => ({ turnId: t.id, usage: t.usage, cost: t.usage ? costOf(t.usage, prices) : 0 })),
    framesKept: session.framesKept,
    framesDropped: session.framesDropped,
    spendLimitUsed,
    overSpendLimit: spendLimitUsed !== undefined && spendLimitUsed >= 1,
  };
}

/** A Live conversation runs this long (ms) before its cost per minute is shown: earlier, one turn would swing it wildly. */
export const LIVE_RATE_AFTER_MS = 15_000;

/**
 * Cost per minute of a running Live conversation: what the conversation's usage grew by since Live started
 * (`usageAtStart`; every turn's usageMetadata is summed in, since billing counts the whole context again on each
 * turn) over the minutes since `startedAt`. Undefined before LIVE_RATE_AFTER_MS or before anything was billed.
 */
export function costPerMinute(usageNow: Usage, usageAtStart: Usage, startedAt: number, now: number, prices: Prices): number | undefined {
  const ms = now - startedAt;
  const spent = costOf(usageNow, prices) - costOf(usageAtStart, prices);
  if (ms < LIVE_RATE_AFTER_MS || spent <= 0) return undefined;
  return spent / (ms / 60_000);
}

/** "$0.042", "<$0.001": enough digits to see a cost move without pretending to a precision it lacks. */
export function formatCost(amount: number, currency = '$'): string {
  if (amount === 0) return `${currency}0`;
  if (amount < 0.001) return `<${currency}0.001`;
  if (amount < 1) return `${currency}${amount.toFixed(3)}`;
  return `${currency}${amount.toFixed(2)}`;
}

/** The error that pauses sharing once the conversation's spend limit is reached, or null while it is not. */
export function spendLimitError(session: Conversation, prices: Prices, limit: SpendLimit): UserError | null {
  const m = costMeter(session, prices, limit);
  if (!m.overSpendLimit) return null;
  const spent = `${formatCost(m.cost)} (${m.totalTokens.toLocaleString('en')} tokens)`;
  return {
    kind: 'spend-limit',
    message: `This conversation reached its spend limit: ${spent} spent. Sharing is paused; raise the limit in Settings or start a new conversation to continue.`,
  };
}
