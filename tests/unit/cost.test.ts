import { describe, expect, it } from 'vitest';
import {
  addUsage, spendLimitError, CACHED_INPUT_SHARE, cachedPrice, costMeter, costOf, formatCost, implicitCacheMinTokens, usageFromMetadata,
} from '../../lib/core/conversation/cost.ts';
import { newConversation } from '../../lib/core/conversation/history.ts';
import type { Conversation, Turn } from '../../lib/core/types.ts';

const prices = { inputPerMillion: 0.3, outputPerMillion: 2.5 };

function sessionWith(turnUsages: Array<[number, number]>, extra: Partial<Conversation> = {}): Conversation {
  const turns: Turn[] = turnUsages.map(([p, a], i) => ({
    id: `t${i}`, question: 'q', askedAt: i, answer: 'a', status: 'done', usage: { promptTokens: p, answerTokens: a },
  }));
  const usage = turns.reduce((u, t) => addUsage(u, t.usage), { promptTokens: 0, answerTokens: 0 });
  return { ...newConversation(0, 's'), turns, usage, framesKept: 12, framesDropped: 300, ...extra };
}

describe('cost meter', () => {
  it('reads usageMetadata, billing thinking as output and keeping cached and thinking counts apart', () => {
    expect(usageFromMetadata({ promptTokenCount: 1500, candidatesTokenCount: 80, thoughtsTokenCount: 20 })).toEqual({
      promptTokens: 1500, answerTokens: 100, thoughtsTokens: 20,
    });
    expect(usageFromMetadata({ promptTokenCount: 9000, cachedContentTokenCount: 7000, candidatesTokenCount: 50 })).toEqual({
      promptTokens: 9000, answerTokens: 50, cachedTokens: 7000,
    });
    expect(usageFromMetadata({ promptTokenCount: 300, candidatesTokenCount: 5, cachedContentTokenCount: 0 })).toEqual({ promptTokens: 300, answerTokens: 5 });
    expect(usageFromMetadata(undefined)).toBeUndefined();
  });

  it('prices cached input at the cached price: set, or a tenth of the input price', () => {
    const usage = { promptTokens: 10_000, answerTokens: 100, cachedTokens: 8000 };
    expect(costOf(usage, prices)).toBeCloseTo((2000 * 0.3 + 8000 * 0.03 + 100 * 2.5) / 1e6);
    expect(costOf(usage, { ...prices, cachedInputPerMillion: 0.075 })).toBeCloseTo((2000 * 0.3 + 8000 * 0.075 + 100 * 2.5) / 1e6);
    expect(cachedPrice(prices)).toBeCloseTo(prices.inputPerMillion * CACHED_INPUT_SHARE);
    // A session's sum keeps the cached share, so the meter's cost is what Gemini billed.
    const total = addUsage(addUsage({ promptTokens: 0, answerTokens: 0 }, usage), { promptTokens: 2000, answerTokens: 10, thoughtsTokens: 4 });
    expect(total).toEqual({ promptTokens: 12_000, answerTokens: 110, cachedTokens: 8000, thoughtsTokens: 4 });
    expect(costMeter(sessionWith([], { usage: total }), prices).cost).toBeCloseTo((4000 * 0.3 + 8000 * 0.03 + 110 * 2.5) / 1e6);
  });

  it('knows the shortest prefix the implicit cache serves per family', () => {
    expect(implicitCacheMinTokens('gemini-3')).toBe(4096);
    expect(implicitCacheMinTokens('gemini-2')).toBe(2048);
  });

  it('prices tokens per million, per turn and per session', () => {
    expect(costOf({ promptTokens: 1_000_000, answerTokens: 0 }, prices)).toBeCloseTo(0.3);
    const m = costMeter(sessionWith([[2000, 100], [3000, 200]]), prices);
    expect(m.usage).toEqual({ promptTokens: 5000, answerTokens: 300 });
    expect(m.totalTokens).toBe(5300);
    expect(m.cost).toBeCloseTo((5000 * 0.3 + 300 * 2.5) / 1e6);
    expect(m.perTurn.map((t) => t.cost)).toEqual([(2000 * 0.3 + 100 * 2.5) / 1e6, (3000 * 0.3 + 200 * 2.5) / 1e6]);
    expect([m.framesKept, m.framesDropped]).toEqual([12, 300]);
    expect(m.overSpendLimit).toBe(false);
  });

  it('formats small and large amounts readably', () => {
    expect(formatCost(0)).toBe('$0');
    expect(formatCost(0.0004)).toBe('<$0.001');
    expect(formatCost(0.04213)).toBe('$0.042');
    expect(formatCost(12.3456)).toBe('$12.35');
  });

  it('says when the spend limit is reached, by cost or by tokens', () => {
    const s = sessionWith([[200_000, 10_000]]); // $0.06 + $0.025
    expect(spendLimitError(s, prices, {})).toBeNull();
    expect(spendLimitError(s, prices, { maxCost: 1 })).toBeNull();
    expect(costMeter(s, prices, { maxCost: 0.17 }).spendLimitUsed).toBeCloseTo(0.5);
    const err = spendLimitError(s, prices, { maxCost: 0.08 });
    expect(err?.kind).toBe('spend-limit');
    expect(err?.message).toContain('$0.085');
    expect(err?.message).toMatch(/paused/);
    expect(spendLimitError(s, prices, { maxTokens: 210_000 })?.kind).toBe('spend-limit');
    expect(spendLimitError(s, prices, { maxTokens: 210_001 })).toBeNull();
  });
});
