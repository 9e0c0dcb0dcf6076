/**
 * The request as Gemini's cache and the model see it (docs/decisions/0004-history-and-compaction.md): frames at
 * the media resolution of their role, every scene since the last answer, and each request only appending to the
 * one before until a compaction.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Content } from '@google/genai';
import { buildRequest, newConversation } from '../../lib/core/conversation/history.ts';
import { addFrame, addQuestionFrame, noteFrame } from '../../lib/core/conversation/conversation-state.ts';
import { applySummary, planCompaction } from '../../lib/core/conversation/compaction.ts';
import type { Frame, FrameReason, Conversation } from '../../lib/core/types.ts';

const T0 = 1_700_000_000_000;

function frame(id: string, atMs: number, reason: FrameReason = 'sampled'): Frame {
  return { id, capturedAt: T0 + atMs, width: 768, height: 432, mimeType: 'image/jpeg', data: `jpeg-${id}`, source: 'tab', reason };
}

/** What the manager does for a question: the turn, its frame (changed or not), then the answer and its note. */
function ask(s: Conversation, id: string, atMs: number, changed = true, reason: FrameReason = 'question'): Conversation {
  const turn = { id, question: `question ${id}`, askedAt: T0 + atMs, answer: '', status: 'waiting' as const, frameId: `q-${id}` };
  s = { ...s, turns: [...s.turns, turn] };
  return addQuestionFrame(s, frame(`q-${id}`, atMs + 20, reason), changed);
}

function answer(s: Conversation, text = 'It shows a slide.'): Conversation {
  const t = s.turns.at(-1)!;
  s = noteFrame(s, t.frameId!, `note for ${t.id}`);
  return { ...s, turns: [...s.turns.slice(0, -1), { ...t, answer: text, status: 'done' as const }] };
}

/** The images of a request, by frame id, with the level each is sent at. */
function images(cs: Content[]): Array<[string, string | undefined]> {
  return cs.flatMap((c) => c.parts ?? []).filter((p) => p.inlineData).map((p) => [p.inlineData!.data!.slice(5), p.mediaResolution?.level]);
}

const allText = (cs: Content[]) => cs.flatMap((c) => c.parts ?? []).map((p) => p.text ?? '').join('\n');

describe('media resolution per part', () => {
  it('sends context frames LOW, the question frame HIGH and a closer look ULTRA_HIGH on Gemini 3', () => {
    let s = newConversation(T0, 's');
    s = addFrame(s, frame('a', 1000));
    s = addFrame(s, frame('b', 2000));
    s = answer(ask(s, 't1', 3000));
    s = ask(s, 't2', 9000, true, 'closer');
    expect(images(buildRequest(s).contents)).toEqual([
      ['a', 'MEDIA_RESOLUTION_LOW'],
      ['b', 'MEDIA_RESOLUTION_LOW'],
      ['q-t1', 'MEDIA_RESOLUTION_HIGH'],
      ['q-t2', 'MEDIA_RESOLUTION_ULTRA_HIGH'],
    ]);
    const plan = buildRequest(s, { model: 'gemini-3-flash-preview' });
    expect(plan.estimatedTokens).toBeGreaterThan(280 * 2 + 1120 + 2240);
    expect(plan.estimatedTokens).toBeLessThan(280 * 2 + 1120 + 2240 + 600);
  });

  it('sends no per-part field to a Gemini 2.x model, and estimates by tiles', () => {
    let s = newConversation(T0, 's');
    s = addFrame(s, frame('a', 1000));
    s = ask(s, 't1', 3000);
    const plan = buildRequest(s, { model: 'gemini-2.5-flash' });
    expect(images(plan.contents)).toEqual([['a', undefined], ['q-t1', undefined]]);
  });
});

describe('every scene since the last answer', () => {
  it('carries every frame sampled between two questions, however many, each once', () => {
    let s = answer(ask(newConversation(T0, 's'), 't1', 1000));
    // Eight short-lived scenes between two questions (the old design sent only the newest four).
    for (let k = 0; k < 8; k++) s = addFrame(s, frame(`scene${k}`, 2000 + k * 1500));
    s = ask(s, 't2', 30_000);
    const sent = images(buildRequest(s).contents).map(([id]) => id);
    expect(sent).toEqual(['q-t1', ...Array.from({ length: 8 }, (_, k) => `scene${k}`), 'q-t2']);
  });

  it('says "unchanged since" instead of sending the same sharp picture again, until that one is summarized', () => {
    let s = answer(ask(newConversation(T0, 's'), 't1', 1000));
    s = ask(s, 't2', 30_000, false);
    expect(s.frames.at(-1)!.sameAs).toBe('q-t1');
    let plan = buildRequest(s);
    expect(images(plan.contents).map(([id]) => id)).toEqual(['q-t1']);
    expect(allText(plan.contents)).toMatch(/0:30 \(when this question was asked\), tab: the screen is unchanged since the frame captured at 0:01\]/);
    // Once the frame it points to is folded into the summary, the question's own frame travels again.
    s = applySummary(answer(s), 'SUMMARY', { fromTurn: 0, toTurn: 1, systemInstruction: '', prompt: [] });
    s = ask(s, 't3', 60_000, true);
    plan = buildRequest(s);
    expect(images(plan.contents).map(([id]) => id)).toEqual(['q-t2', 'q-t3']);
  });

  it('replaces an unsent sampled frame by the unchanged question frame, never one already sent', () => {
    let s = addFrame(newConversation(T0, 's'), frame('a', 1000));
    s = ask(s, 't1', 5000, false);
    expect(s.frames.map((f) => f.id)).toEqual(['q-t1']);
    s = answer(s);
    s = addFrame(s, frame('b', 10_000));
    s = ask(s, 't2', 20_000, false);
    expect(s.frames.map((f) => f.id)).toEqual(['q-t1', 'q-t2']);
  });
});

describe('an append-only request between compactions', () => {
  const isPrefix = (a: Content[], b: Content[]) => expect(b.slice(0, a.length)).toEqual(a);

  it('repeats the previous request exactly, then appends', () => {
    let s = newConversation(T0, 's');
    let previous: Content[] | undefined;
    for (let i = 0; i < 12; i++) {
      if (i % 3 === 1) s = addFrame(s, frame(`f${i}`, i * 30_000 + 5000));
      s = ask(s, `t${i}`, i * 30_000 + 10_000, i % 2 === 0);
      const plan = buildRequest(s);
      if (previous) isPrefix(previous, plan.contents);
      previous = plan.contents;
      s = answer(s);
    }
  });

  it('holds for any sequence of frames, questions and unchanged screens (property)', () => {
    // Up to 56 frames: under the pixel backstop (FRAMES_WITH_PIXELS); the inline backstop is lifted.
    const step = fc.record({ frames: fc.integer({ min: 0, max: 3 }), changed: fc.boolean(), closer: fc.boolean(), answered: fc.boolean() });
    fc.assert(
      fc.property(fc.array(step, { minLength: 2, maxLength: 14 }), (steps) => {
        let s = newConversation(T0, 's');
        let previous: Content[] | undefined;
        let t = 0;
        steps.forEach((st, i) => {
          for (let k = 0; k < st.frames; k++) s = addFrame(s, frame(`f${i}-${k}`, (t += 700)));
          s = ask(s, `t${i}`, (t += 900), st.changed, st.closer ? 'closer' : 'question');
          const plan = buildRequest(s, { tokenBudget: Infinity, maxInlineFrames: Infinity });
          if (previous) isPrefix(previous, plan.contents);
          previous = plan.contents;
          s = st.answered ? answer(s) : { ...s, turns: [...s.turns.slice(0, -1), { ...s.turns.at(-1)!, status: 'stopped' as const }] };
        });
      }),
      { numRuns: 200 },
    );
  });

  it('changes its start only when a summary folds turns in, then appends again', () => {
    let s = newConversation(T0, 's');
    let previous: Content[] | undefined;
    let compactions = 0;
    for (let i = 0; i < 60; i++) {
      s = addFrame(s, frame(`f${i}`, i * 30_000 + 5000));
      s = ask(s, `t${i}`, i * 30_000 + 10_000);
      const plan = buildRequest(s);
      if (previous) isPrefix(previous, plan.contents);
      previous = plan.contents;
      s = answer(s, `Answer ${i} ${'words '.repeat(100)}`);
      const c = planCompaction(s);
      if (c) {
        s = applySummary(s, `SUMMARY ${i}`, c);
        previous = undefined;
        compactions++;
      }
    }
    expect(compactions).toBeGreaterThan(3);
    // Summarized frames let go of their pixels; the others keep them, so their parts never change.
    const boundary = s.turns[s.summarizedTurns - 1]!.askedAt;
    const kept = new Set(s.turns.slice(s.summarizedTurns).map((t) => t.frameId));
    expect(s.frames.filter((f) => f.data).every((f) => f.capturedAt > boundary || kept.has(f.id))).toBe(true);
    expect(s.frames.filter((f) => !f.data).length).toBeGreaterThan(40);
  });
});

describe('a question frame judged unchanged against a frame the conversation never got', () => {
  it('is sent as a picture: "unchanged" counts only against the frame the capture compared it with', () => {
    const t0 = newConversation(T0, 's');
    const turn = (id: string, at: number) => ({ id, question: id, askedAt: at, answer: 'a', status: 'done' as const });
    let s = addQuestionFrame({ ...t0, turns: [turn('t1', T0 + 1000)] }, frame('q-1', 1000, 'question'), true);
    // The page kept a sampled frame (blue) that is still on its way; the question's frame matches it, not q-1.
    s = addQuestionFrame({ ...s, turns: [...s.turns, turn('t2', T0 + 5000)] }, frame('q-2', 5000, 'question'), false, T0 + 4000);
    expect(s.frames.at(-1)!.sameAs).toBeUndefined();
    // Compared with q-1 itself: the shortcut holds.
    s = addQuestionFrame({ ...s, turns: [...s.turns, turn('t3', T0 + 9000)] }, frame('q-3', 9000, 'question'), false, T0 + 5000);
    expect(s.frames.at(-1)!.sameAs).toBe('q-2');
  });
});
