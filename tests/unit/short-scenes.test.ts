/**
 * Every scene that stays on screen for a second or more reaches the model, even when it is gone before the next
 * question: the generated short-scenes clip (tests/support/scripted-clips.ts) through the adaptive schedule, the
 * change detector and the request builder, as the manager wires them (frames are labelled by scene, not encoded).
 */
import { describe, expect, it } from 'vitest';
import { createChangeDetector } from '../../lib/core/frames/change.ts';
import { thumbnailOf } from '../../lib/core/frames/luma.ts';
import { createSchedule, nextDelayMs } from '../../lib/core/frames/schedule.ts';
import { buildRequest, newConversation } from '../../lib/core/conversation/history.ts';
import { addFrame, addQuestionFrame, noteFrame } from '../../lib/core/conversation/conversation-state.ts';
import type { Frame, Conversation } from '../../lib/core/types.ts';
import { shortScenesClip } from '../support/scripted-clips.ts';

describe('short-lived scenes', () => {
  it('sends every scene change of >= 1 s in the request of the next question, at 1..2 fps', () => {
    const clip = shortScenesClip();
    const questions = [25_000, 55_000, 85_000, 115_000];
    const detector = createChangeDetector();
    const thumbs = new Map<string, ReturnType<typeof thumbnailOf>>();
    const thumb = (t: number) => {
      const f = clip.frameAt(t);
      if (!thumbs.has(f.key)) thumbs.set(f.key, thumbnailOf(f.image));
      return { f, th: thumbs.get(f.key)! };
    };
    const frameAt = (id: string, t: number, reason: Frame['reason']): Frame => {
      const { f } = thumb(t);
      return { id, capturedAt: t, width: 768, height: 432, mimeType: 'image/jpeg', data: `scene:${f.scene.index}:${id}`, source: 'tab', reason };
    };
    let s: Conversation = newConversation(0, 's');
    let schedule = createSchedule({ minFps: 1, maxFps: 2 }, 0);
    let next = 0;
    let q = 0;
    let ids = 0;
    const seen: Array<Set<number>> = [];
    while (q < questions.length) {
      if (questions[q]! <= next) {
        const at = questions[q]!;
        const { th } = thumb(at);
        const verdict = detector.consider(th, at);
        if (!verdict.changed) detector.keep(th, at);
        const turn = { id: `t${q}`, question: 'What changed?', askedAt: at, answer: '', status: 'waiting' as const, frameId: `q${q}` };
        s = addQuestionFrame({ ...s, turns: [...s.turns, turn] }, frameAt(`q${q}`, at, 'question'), verdict.changed);
        const plan = buildRequest(s);
        const scenes = plan.contents.flatMap((c) => c.parts ?? []).filter((p) => p.inlineData).map((p) => Number(p.inlineData!.data!.split(':')[1]));
        seen.push(new Set(scenes));
        s = noteFrame(s, `q${q}`, 'a note');
        s = { ...s, turns: s.turns.map((t) => (t.id === turn.id ? { ...t, answer: 'Done.', status: 'done' as const } : t)) };
        schedule = nextDelayMs(schedule, { type: 'asked', now: at }).state;
        q++;
        continue;
      }
      const { th } = thumb(next);
      const verdict = detector.consider(th, next);
      if (verdict.changed) s = addFrame(s, frameAt(`f${++ids}`, next, 'sampled'));
      const step = nextDelayMs(schedule, { type: 'frame', now: next, changed: verdict.changed });
      schedule = step.state;
      next += step.delayMs;
    }
    const missed = clip.scenes.slice(1).filter((scene) => {
      const qi = questions.findIndex((t) => t >= scene.startMs);
      return scene.durationMs >= 1000 && qi >= 0 && !seen[qi]!.has(scene.index);
    });
    expect(missed.map((m) => m.name)).toEqual([]);
    // Most of them were gone by the time of the question that carried them.
    const gone = clip.scenes.slice(1).filter((sc) => !questions.some((t) => t >= sc.startMs && t < sc.startMs + sc.durationMs));
    expect(gone.length).toBeGreaterThanOrEqual(8);
  });
});
