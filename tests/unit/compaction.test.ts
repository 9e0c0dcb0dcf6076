import { describe, expect, it } from 'vitest';
import { applySummary, DEFAULT_COMPACT_AT, planCompaction } from '../../lib/core/conversation/compaction.ts';
import { buildRequest, newConversation } from '../../lib/core/conversation/history.ts';
import type { Frame, Conversation, Turn } from '../../lib/core/types.ts';

const T0 = 1_700_000_000_000;

function frame(id: string, atMs: number, note?: string): Frame {
  return { id, capturedAt: T0 + atMs, width: 768, height: 432, mimeType: 'image/jpeg', data: `jpeg-${id}`, source: 'tab', reason: 'question', note };
}

/** A session of n answered questions, 30 s apart, each with a frame and a long-ish answer. */
function longSession(n: number, answerChars = 1200): Conversation {
  const turns: Turn[] = [];
  const frames: Frame[] = [];
  for (let i = 0; i < n; i++) {
    frames.push(frame(`f${i}`, i * 30_000 + 5, `slide ${i} about topic ${i}`));
    turns.push({
      id: `t${i}`, question: `QUESTION-${i}: what does this slide say?`, askedAt: T0 + i * 30_000, frameId: `f${i}`,
      answer: `ANSWER-${i} ${'words '.repeat(answerChars / 6)}`, status: 'done', finishedAt: T0 + i * 30_000 + 3000,
    });
  }
  return { ...newConversation(T0, 's'), turns, frames };
}

const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(' ');

function ask(s: Conversation, i: number): Conversation {
  const at = T0 + i * 30_000;
  return {
    ...s,
    frames: [...s.frames, frame(`f${i}`, i * 30_000 + 5)],
    turns: [...s.turns, { id: `t${i}`, question: `QUESTION-${i}`, askedAt: at, frameId: `f${i}`, answer: '', status: 'waiting' }],
  };
}

describe('planCompaction', () => {
  it('does nothing while the next request is well under budget', () => {
    expect(planCompaction(longSession(5))).toBeNull();
  });

  it('folds the oldest turns and their scene notes into a summary prompt, keeping the newest verbatim', () => {
    const s = longSession(80);
    const plan = planCompaction(s)!;
    expect(plan).not.toBeNull();
    expect(plan.fromTurn).toBe(0);
    expect(plan.toTurn).toBeGreaterThan(0);
    expect(plan.toTurn).toBeLessThanOrEqual(79); // the newest turn stays verbatim
    const text = plan.prompt.map((c) => c.parts!.map((p) => p.text).join('')).join('\n');
    expect(text).toContain('QUESTION-0');
    expect(text).toContain('ANSWER-0');
    expect(text).toContain('slide 0 about topic 0');
    expect(text).toContain('[0:00] User: QUESTION-0');
    expect(text).not.toContain(`QUESTION-${plan.toTurn}:`);
    expect(text).not.toContain('QUESTION-79');
    expect(plan.systemInstruction).toMatch(/summary/i);
  });

  it('carries the previous summary into the next one', () => {
    const s = { ...longSession(60), summary: 'EARLIER: the user opened a budget spreadsheet.', summarizedTurns: 30 };
    const plan = planCompaction(s)!;
    expect(plan.fromTurn).toBe(30);
    const text = plan.prompt[0]!.parts![0]!.text!;
    expect(text).toContain('EARLIER: the user opened a budget spreadsheet.');
    expect(text).not.toContain('QUESTION-29:');
    expect(text).toContain('QUESTION-30:');
  });

  it('estimates images by the model family: sharp Gemini 3 frames fill the trigger sooner than 2.x tiles', () => {
    const s = longSession(10);
    expect(planCompaction(s)).not.toBeNull(); // 10 question frames at 1,120 tokens each
    expect(planCompaction(s, { model: 'gemini-2.5-flash' })).toBeNull(); // at 258 each
  });

  it('never folds in a question still being answered', () => {
    const s = longSession(80);
    s.turns[1] = { ...s.turns[1]!, status: 'streaming' };
    const plan = planCompaction(s);
    expect(plan === null || plan.toTurn <= 1).toBe(true);
  });
});

describe('applySummary', () => {
  it('replaces the planned turns with the summary in the next request', () => {
    const s = longSession(80);
    const plan = planCompaction(s)!;
    const after = applySummary(s, 'SUMMARY: slides 0 to n about topics.', plan);
    expect(after.summarizedTurns).toBe(plan.toTurn);
    const req = buildRequest(ask(after, 80));
    const text = req.contents.flatMap((c) => c.parts!.map((p) => p.text ?? '')).join('\n');
    expect(text).toContain('SUMMARY: slides 0 to n about topics.');
    expect(text).not.toContain('QUESTION-0:');
    expect(req.estimatedTokens).toBeLessThan(3000 + 600); // compactTo, plus the summary written longer than assumed
  });

  it('lets the frames it covers go of their pixels, and only those', () => {
    const s = longSession(80);
    const plan = planCompaction(s)!;
    const after = applySummary(s, 'SUMMARY', plan);
    const covered = after.frames.slice(0, plan.toTurn);
    expect(covered.every((f) => f.data === '' && f.note)).toBe(true);
    expect(after.frames.slice(plan.toTurn).every((f) => f.data)).toBe(true);
  });

  it('ignores an empty summary and a stale plan', () => {
    const s = longSession(80);
    const plan = planCompaction(s)!;
    expect(applySummary(s, '   ', plan)).toBe(s);
    const compacted = applySummary(s, 'first', plan);
    expect(applySummary(compacted, 'second', plan)).toBe(compacted);
  });

  it('keeps every request of a day-long session under budget and flat', () => {
    let s = newConversation(T0, 's');
    const sizes: number[] = [];
    for (let i = 0; i < 600; i++) {
      s = ask(s, i);
      const req = buildRequest(s);
      sizes.push(req.estimatedTokens);
      const t = s.turns.at(-1)!;
      s = { ...s, turns: [...s.turns.slice(0, -1), { ...t, answer: `ANSWER-${i} ${'words '.repeat(150)}\nSCENE: slide ${i}`, status: 'done' }] };
      const plan = planCompaction(s);
      if (plan) s = applySummary(s, words(280), plan);
    }
    expect(Math.max(...sizes)).toBeLessThanOrEqual(DEFAULT_COMPACT_AT + 500); // compactAt, plus the next question's text
    const firstHour = Math.max(...sizes.slice(0, 120));
    const lastHour = Math.max(...sizes.slice(-120));
    expect(lastHour).toBeLessThanOrEqual(firstHour * 1.05);
    expect(s.summarizedTurns).toBeGreaterThan(500);
  });
});
