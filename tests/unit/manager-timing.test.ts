/**
 * Conversation manager: what the person clicks while an answer streams. The answer ends on the conversation
 * it was asked in, the one shown is untouched, a deleted one is never written back; inputs apply in order.
 */
import { describe, expect, it } from 'vitest';
import type { Part } from '@google/genai';
import { FakeModel, makeControlled, makeManager, payload, until, type ControlledCall } from '../support/manager-fakes.ts';
import type { StreamRequest } from '../../lib/transport/gemini.ts';

type C = ReturnType<typeof makeControlled>;
const textOf = (req: StreamRequest) => req.contents.flatMap((c) => c.parts ?? []).map((p: Part) => p.text ?? '').join('\n');
const imagesOf = (req: StreamRequest) =>
  req.contents.flatMap((c) => c.parts ?? []).filter((p: Part) => p.inlineData).map((p) => Buffer.from(p.inlineData!.data!, 'base64').toString());

/** Asks and waits until the model call has started and its first words are applied. */
async function askAndStream(t: C, question: string, words: string): Promise<{ call: ControlledCall; asking: Promise<void> }> {
  const n = t.model.calls.length;
  const asking = t.manager.handle({ type: 'ask', text: question });
  const call = await t.model.nth(n);
  call.say(words);
  const streaming = () => t.events.some((e) => e.type === 'turn' && e.turn.status === 'streaming' && e.turn.question === question);
  await until(streaming, 'the first words');
  return { call, asking };
}

/** Lets late words and endings of a call (already aborted) reach the queue. */
async function lateWords(t: C, call: ControlledCall): Promise<void> {
  call.say(' and some late words');
  call.end('\nSCENE: late');
  await t.manager.handle({ type: 'dismiss-notice' });
}

describe('an answer streaming while the person moves on', () => {
  it('"New conversation": the answer stops and is saved on its own conversation; the new one is untouched', async () => {
    const t = makeControlled();
    const { call, asking } = await askAndStream(t, 'First question', 'Half of the ');
    const firstId = t.lastState()!.session.id;
    expect(t.lastState()!.openTurnId).toBe(t.lastState()!.session.turns[0]!.id);

    await t.manager.handle({ type: 'new-conversation' });
    await asking;
    expect(call.aborted).toBe(true);
    expect(t.stores.all.get(firstId)!.turns).toMatchObject([{ question: 'First question', status: 'stopped', answer: 'Half of the' }]);
    const shown = t.lastState()!;
    expect(shown.session.id).not.toBe(firstId);
    expect(shown.session.turns).toEqual([]);
    expect(shown.openTurnId).toBeUndefined();

    await lateWords(t, call);
    expect(t.lastState()!.session.turns).toEqual([]);
    expect(t.stores.all.get(firstId)!.turns[0]).toMatchObject({ status: 'stopped', answer: 'Half of the' });
    expect(t.events.filter((e) => e.type === 'answer-delta' && e.text.includes('late'))).toEqual([]);
  });

  it('"Open" another: the answer ends on its own conversation, the reopened one carries on without it', async () => {
    const t = makeControlled();
    const a = await askAndStream(t, 'Question A', 'Answer A.');
    a.call.end('\nSCENE: a');
    await a.asking;
    const idA = t.lastState()!.session.id;
    await t.manager.handle({ type: 'new-conversation' });
    const b = await askAndStream(t, 'Question B', 'Part of B');
    const idB = t.lastState()!.session.id;

    await t.manager.handle({ type: 'open-conversation', id: idA });
    await b.asking;
    expect(t.stores.all.get(idB)!.turns).toMatchObject([{ question: 'Question B', status: 'stopped', answer: 'Part of B' }]);
    expect(t.lastState()!.session).toMatchObject({ id: idA, turns: [{ question: 'Question A', status: 'done', answer: 'Answer A.' }] });

    await lateWords(t, b.call);
    expect(t.lastState()!.session.turns.map((x) => x.answer)).toEqual(['Answer A.']);
    expect(t.stores.all.get(idA)!.turns.map((x) => x.answer)).toEqual(['Answer A.']);
    // A follow-up in A carries A, nothing of B.
    const c = await askAndStream(t, 'Follow-up in A', 'ok');
    expect(textOf(c.call.req)).toContain('Question A');
    expect(textOf(c.call.req)).not.toContain('Question B');
  });

  it('"Delete" the conversation being answered: it is gone from disk and stays gone', async () => {
    const t = makeControlled();
    const { call, asking } = await askAndStream(t, 'Doomed question', 'Some words');
    const id = t.lastState()!.session.id;
    expect(t.stores.all.has(id)).toBe(true);
    await t.manager.handle({ type: 'delete-conversation', id });
    await asking;
    expect(call.aborted).toBe(true);
    await lateWords(t, call);
    expect(t.stores.all.has(id)).toBe(false);
    expect(t.lastState()!.session).toMatchObject({ turns: [] });
    expect(t.lastState()!.session.id).not.toBe(id);
  });

  it('"Delete" another conversation: the answer being streamed goes on and ends here', async () => {
    const t = makeControlled();
    const old = await askAndStream(t, 'Old one', 'Done.');
    old.call.end();
    await old.asking;
    const oldId = t.lastState()!.session.id;
    await t.manager.handle({ type: 'new-conversation' });
    const { call, asking } = await askAndStream(t, 'Current one', 'Still ');
    await t.manager.handle({ type: 'delete-conversation', id: oldId });
    expect(call.aborted).toBe(false);
    call.say('coming.');
    call.end('\nSCENE: x');
    await asking;
    expect(t.stores.all.has(oldId)).toBe(false);
    expect(t.lastState()!.session.turns).toMatchObject([{ question: 'Current one', status: 'done', answer: 'Still coming.' }]);
    expect(t.stores.session!.turns[0]).toMatchObject({ status: 'done', answer: 'Still coming.' });
  });

  it('"Delete all" while an answer streams: nothing of any conversation is on disk at the end', async () => {
    const t = makeControlled();
    await t.manager.handle({ type: 'share', source: 'tab' });
    const first = await askAndStream(t, 'Earlier', 'Fine.');
    first.call.end();
    await first.asking;
    t.stores.settings = { ...t.stores.settings, keepFrames: true };
    await t.manager.handle({ type: 'set-redactions', regions: [{ x: 0.125, y: 0.125, w: 0.25, h: 0.25 }] });
    const { call, asking } = await askAndStream(t, 'In flight', 'Streaming ');

    await t.manager.handle({ type: 'delete-all' });
    await asking;
    await lateWords(t, call);
    await t.manager.frameArrived(payload('late-frame', t.at()));
    expect(t.stores.all.size).toBe(0);
    expect(t.stores.session).toBeUndefined();
    expect(t.stores.regions.size).toBe(0);
    expect(t.stores.hiddenSince).toEqual({});
    expect(t.lastState()).toMatchObject({ sharing: { status: 'off' }, session: { turns: [] } });
    expect(t.lastState()!.openTurnId).toBeUndefined();
  });

  it('"Delete all" queued right behind a question: the question is never written back', async () => {
    const t = makeControlled();
    const asking = t.manager.handle({ type: 'ask', text: 'Asked and deleted at once' });
    const deleting = t.manager.handle({ type: 'delete-all' });
    await deleting;
    await asking;
    // The call was started by the earlier step, then dropped by the later one.
    const call = await t.model.nth(0);
    expect(call.aborted).toBe(true);
    await lateWords(t, call);
    expect(t.stores.all.size).toBe(0);
    expect(t.stores.session).toBeUndefined();
  });

  it('"Delete all" while a summary call is in flight: the summary never lands anywhere', async () => {
    const model = new FakeModel();
    let finishSummary: (() => void) | undefined;
    model.summaryScript = () => new Promise((resolve) => (finishSummary = () => resolve({ text: 'A summary that must not be saved.' })));
    model.script = async (req) => {
      const text = `${'Long answer words. '.repeat(500)}\nSCENE: a slide`;
      req.onDelta(text);
      return { text, usage: { promptTokens: 1000, answerTokens: 2500 } };
    };
    const t = makeManager(undefined, undefined, model);
    const asked: Promise<void>[] = [];
    for (let i = 0; i < 5 && !finishSummary; i++) {
      asked.push(t.manager.handle({ type: 'ask', text: `Q${i}` }));
      await until(() => model.requests.length > i, 'the answer');
      await until(() => t.lastState()?.openTurnId === undefined, 'the answer to end');
    }
    await until(() => finishSummary !== undefined, 'a summary call');
    await t.manager.handle({ type: 'delete-all' });
    finishSummary!();
    await Promise.all(asked);
    expect(t.stores.all.size).toBe(0);
    expect(t.stores.session).toBeUndefined();
    expect(t.lastState()!.session.summary).toBeUndefined();
  });
});

describe('inputs arriving together', () => {
  it('are applied one at a time, in the order they came', async () => {
    const t = makeManager();
    const all = [
      t.manager.handle({ type: 'share', source: 'tab' }),
      t.manager.frameArrived(payload('sampled-before-question', t.at())),
      t.manager.handle({ type: 'ask', text: 'one' }),
      t.manager.handle({ type: 'new-conversation' }),
      t.manager.handle({ type: 'ask', text: 'two' }),
      t.manager.handle({ type: 'pause' }),
    ];
    await Promise.all(all);
    expect(t.model.requests.map((r) => textOf(r).split('\n').at(-1))).toEqual(['one', 'two']);
    // The share was on before the first question: its request has the sampled frame and the frame of now.
    expect(imagesOf(t.model.requests[0]!)).toEqual(['sampled-before-question', 'grab-1']);
    // The second question went to the new conversation, which does not carry the first.
    expect(textOf(t.model.requests[1]!)).not.toContain('one');
    expect(t.lastState()!.session.turns.map((x) => [x.question, x.status])).toEqual([['two', 'done']]);
    expect(t.lastState()!.sharing.status).toBe('paused');
    expect([...t.stores.all.values()].map((s) => s.turns.map((x) => x.question))).toEqual([['one'], ['two']]);
  });

  it('a frame still on its way when a region is hidden is kept out: it was captured before the change', async () => {
    const t = makeManager();
    await t.manager.handle({ type: 'share', source: 'tab' });
    void t.manager.frameArrived(payload('before', t.at()));
    const hiding = t.manager.handle({ type: 'set-redactions', regions: [{ x: 0.5, y: 0.5, w: 0.25, h: 0.25 }] });
    void t.manager.frameArrived(payload('in-flight', t.at()));
    await hiding;
    await t.manager.frameArrived(payload('after', t.at()));
    // Nor is it shown as the thumbnail: that would show what was just hidden.
    const thumbnails = t.events.flatMap((e) => (e.type === 'thumbnail' && e.thumbnail ? [e.thumbnail.dataUrl] : []));
    expect(thumbnails.map((u) => Buffer.from(u.split(',')[1]!, 'base64').toString())).toEqual(['before', 'after']);
    await t.manager.handle({ type: 'ask', text: 'What is there?' });
    expect(imagesOf(t.model.requests[0]!)).toEqual(['after', 'grab-1']);
  });
});
