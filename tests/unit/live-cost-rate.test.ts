// Live's cost per minute: what the conversation's usage grew by since Live started, over the minutes since.
import { describe, expect, it } from 'vitest';
import { costPerMinute, LIVE_RATE_AFTER_MS } from '../../lib/core/conversation/cost.ts';
import { readLiveRecord } from '../../lib/storage/shapes.ts';

const prices = { inputPerMillion: 1, outputPerMillion: 4 };

describe('costPerMinute', () => {
  it('divides what Live added by the minutes it ran, leaving out what was spent before', () => {
    const before = { promptTokens: 500_000, answerTokens: 0 }; // $0.50 of typed questions before Live
    // Two minutes of Live: three turns summed, each re-counting the context: 60k + 120k + 180k prompt, 3 × 5k answer.
    const now = { promptTokens: 500_000 + 360_000, answerTokens: 15_000 };
    const rate = costPerMinute(now, before, 0, 120_000, prices)!;
    expect(rate).toBeCloseTo((0.36 + 0.06) / 2, 10);
  });

  it('says nothing in the first seconds, nor before anything was billed', () => {
    const u = { promptTokens: 1000, answerTokens: 100 };
    expect(costPerMinute({ promptTokens: 2000, answerTokens: 200 }, u, 0, LIVE_RATE_AFTER_MS - 1, prices)).toBeUndefined();
    expect(costPerMinute(u, u, 0, 600_000, prices)).toBeUndefined();
  });

  it('survives a restarted worker: the record keeps when Live started and the usage then', () => {
    const raw = { conversationId: 'c', lines: [], answered: [], muted: false, startedAt: 123, usageAtStart: { promptTokens: 5, answerTokens: 6 } };
    expect(readLiveRecord(JSON.parse(JSON.stringify(raw)))).toMatchObject({ startedAt: 123, usageAtStart: { promptTokens: 5, answerTokens: 6 } });
    expect(readLiveRecord({ ...raw, startedAt: 'x', usageAtStart: { promptTokens: -1 } })).not.toHaveProperty('startedAt');
  });
});
