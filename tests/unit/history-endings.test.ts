/**
 * What later requests carry of turns that did not end complete: never thoughts, never an empty model turn (Gemini
 * answers 400), a cut answer marked as cut, and a question Gemini refused as a whole left out (it would be refused
 * again, and the next question with it).
 */
import { describe, expect, it } from 'vitest';
import type { Content } from '@google/genai';
import { buildRequest, newConversation } from '../../lib/core/conversation/history.ts';
import type { Frame, Conversation, Turn, TurnEnding } from '../../lib/core/types.ts';

const T0 = 1_700_000_000_000;
const frame = (id: string, atSec: number): Frame => ({
  id, capturedAt: T0 + atSec * 1000, width: 320, height: 180, mimeType: 'image/jpeg', data: `AAAA${id}`, source: 'tab', reason: 'question',
});
const turn = (id: string, atSec: number, question: string, answer: string, extra: Partial<Turn> = {}): Turn =>
  ({ id, question, askedAt: T0 + atSec * 1000, answer, status: 'done', ...extra });
const session = (turns: Turn[], frames: Frame[] = [], extra: Partial<Conversation> = {}): Conversation => ({ ...newConversation(T0, 's'), turns, frames, ...extra });
const texts = (cs: Content[], role: string) => cs.filter((c) => c.role === role).flatMap((c) => (c.parts ?? []).map((p) => p.text ?? '<img>')).join('\n');

const blocked: TurnEnding = { kind: 'prompt-blocked', message: 'Gemini refused this question…', incomplete: false, action: 'edit-question', reason: 'PROHIBITED_CONTENT' };
const cut: TurnEnding = { kind: 'cut-short', message: 'Gemini stopped here…', incomplete: true, reason: 'MAX_TOKENS' };
const safety: TurnEnding = { kind: 'safety', message: 'Gemini would not answer this…', incomplete: false, reason: 'SAFETY' };

describe('buildRequest after odd endings', () => {
  it('never replays thoughts, and gives a turn with no text a placeholder that names the ending', () => {
    const plan = buildRequest(session([
      turn('t1', 1, 'First?', '', { ending: safety, thoughts: 'SECRET THOUGHTS' }),
      turn('t2', 2, 'Second?', 'Fine answer.', { thoughts: 'MORE THOUGHTS' }),
      turn('t3', 3, 'Third?', '', { status: 'waiting' }),
    ]));
    expect(plan.contents.map((c) => c.role)).toEqual(['user', 'model', 'user', 'model', 'user']);
    for (const c of plan.contents) for (const p of c.parts ?? []) expect(p.text?.trim().length).toBeGreaterThan(0);
    expect(JSON.stringify(plan.contents)).not.toContain('THOUGHTS');
    expect(texts(plan.contents, 'model')).toContain('(No answer: safety.)');
  });

  it('marks an answer cut short as cut', () => {
    const plan = buildRequest(session([turn('t1', 1, 'Long?', 'Half an answer', { ending: cut }), turn('t2', 2, 'Rest?', '', { status: 'waiting' })]));
    expect(texts(plan.contents, 'model')).toBe('Half an answer\n(Cut off here.)');
  });

  it('leaves a refused question and its picture out, keeps the summary and the alternation', () => {
    const plan = buildRequest(session(
      [
        turn('t1', 1, 'REFUSED QUESTION', '', { ending: blocked, frameId: 'f1' }),
        turn('t2', 2, 'Fine?', 'Yes.', { frameId: 'f2' }),
        turn('t3', 3, 'Next?', '', { status: 'waiting', frameId: 'f3' }),
      ],
      [frame('f1', 1), frame('f2', 2), frame('f3', 3)],
      { summary: 'Earlier: a chart.' },
    ));
    expect(plan.contents.map((c) => c.role)).toEqual(['user', 'model', 'user']);
    expect(JSON.stringify(plan.contents)).not.toContain('REFUSED QUESTION');
    const images = plan.contents.flatMap((c) => c.parts ?? []).flatMap((p) => (p.inlineData?.data ? [p.inlineData.data.slice(4)] : []));
    expect(images).toEqual(['f2', 'f3']);
    expect(texts(plan.contents, 'user')).toMatch(/^Summary so far/);
  });

  it('still sends a refused question when it is the one being asked again', () => {
    const plan = buildRequest(session([turn('t1', 1, 'Asked again', '', { ending: blocked })]));
    expect(texts(plan.contents, 'user')).toContain('Asked again');
  });
});
