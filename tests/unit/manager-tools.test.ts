/** Issue 14 at the manager level: the function-calling loop (look_closer, read_page, timeline), its limits and refusals. */
import { describe, expect, it } from 'vitest';
import type { Part } from '@google/genai';
import { makeManager, MemoryStores, payload, type FakeModel } from '../support/manager-fakes.ts';
import { CLOSER_GRAB, QUESTION_GRAB } from '../../lib/conversation/manager.ts';
import { MAX_TOOL_ROUNDS } from '../../lib/conversation/tool-loop.ts';
import type { StreamRequest, StreamResult } from '../../lib/transport/gemini.ts';

type T = ReturnType<typeof makeManager>;
const HIDE = { x: 0.125, y: 0.125, w: 0.25, h: 0.25 };

function calling(name: string, args: Record<string, unknown> = {}): StreamResult {
  return { text: '', usage: { promptTokens: 50, answerTokens: 2 }, functionCalls: [{ id: `call-${name}`, name, args }], modelParts: [{ functionCall: { id: `call-${name}`, name, args }, thoughtSignature: 'sig' }] };
}

function script(model: FakeModel, ...replies: StreamResult[]) {
  let n = 0;
  model.script = async (req: StreamRequest) => {
    const res = replies[n++] ?? { text: 'Here is the answer.\nSCENE: a page', usage: { promptTokens: 10, answerTokens: 2 } };
    if (res.text) req.onDelta(res.text);
    return res;
  };
}

/** The functionResponse parts and what follows them in the request's last turn. */
const responses = (t: T, i: number) => t.model.requests[i]!.contents.at(-1)!.parts!;
const responseOf = (parts: Part[], name: string) => parts.find((p) => p.functionResponse?.name === name)!.functionResponse as { id?: string; name: string; response: Record<string, unknown> };

async function sharing(t: T) {
  await t.manager.handle({ type: 'share', source: 'tab' });
}

describe('look_closer', () => {
  it('takes a fresh, larger frame (or a crop) and hands it back to the model, which then answers', async () => {
    const t = makeManager();
    await sharing(t);
    t.capture.nextGrab = () => ({ ...payload('sharp', t.at()), width: 1536, height: 864 });
    script(t.model, calling('look_closer'), calling('look_closer', { box_2d: [0, 0, 500, 500] }));
    await t.manager.handle({ type: 'ask', text: 'What is the small print?' });
    expect(t.capture.grabOptions).toEqual([QUESTION_GRAB, CLOSER_GRAB, { ...CLOSER_GRAB, crop: { x: 0, y: 0, w: 0.5, h: 0.5 } }]);
    const second = responses(t, 1);
    expect(responseOf(second, 'look_closer')).toEqual({ id: 'call-look_closer', name: 'look_closer', response: { output: 'A sharper picture of the whole screen (1536x864 px) follows.' } });
    const image = second.find((p) => p.inlineData)!;
    expect(Buffer.from(image.inlineData!.data!, 'base64').toString()).toBe('sharp');
    const turn = t.lastState()!.session.turns[0]!;
    expect(turn).toMatchObject({ status: 'done', answer: 'Here is the answer.' });
    expect(turn.toolCalls).toEqual([
      { name: 'look_closer', args: {}, ok: true, summary: '1536×864 picture of the whole screen', picture: { width: 1536, height: 864 } },
      { name: 'look_closer', args: { box_2d: [0, 0, 500, 500] }, ok: true, summary: expect.stringContaining('left 0%, top 0%, 50% wide, 50% high'), picture: { width: 600, height: 400 } },
    ]);
    // Tokens of every round count.
    expect(turn.usage).toEqual({ promptTokens: 110, answerTokens: 6 });
  });

  it('sharing paused while the model thinks: look_closer gets an error it can read, not a frame', async () => {
    const t = makeManager();
    await sharing(t);
    let n = 0;
    t.model.script = async (req) => {
      if (n++ > 0) return { text: 'From what I saw before.', usage: { promptTokens: 1, answerTokens: 1 } };
      await t.manager.handle({ type: 'pause' });
      return calling('look_closer');
    };
    await t.manager.handle({ type: 'ask', text: 'Look again' });
    expect(responseOf(responses(t, 1), 'look_closer').response).toEqual({ error: expect.stringMatching(/Sharing is paused/) });
    expect(t.capture.grabs).toBe(1);
    // Paused from the start: the tools that need the screen are not even offered.
    const u = makeManager();
    await sharing(u);
    await u.manager.handle({ type: 'pause' });
    await u.manager.handle({ type: 'ask', text: 'Look again' });
    expect(u.model.requests[0]!.tools).toBeUndefined();
  });
});

describe('read_page', () => {
  it('returns the tab\'s title and text', async () => {
    const t = makeManager();
    await sharing(t);
    script(t.model, calling('read_page'));
    await t.manager.handle({ type: 'ask', text: 'Quote the first sentence' });
    expect(t.model.requests[0]!.tools!.declarations.map((d) => d.name)).toEqual(['look_closer', 'read_page']);
    expect(responseOf(responses(t, 1), 'read_page').response).toEqual({ output: { title: 'Example page', text: 'Hello from the example page.' } });
    expect(t.stores.pagesRead).toEqual([7]);
  });

  it('is refused while the site has hidden regions, and on a private site (resumed anyway)', async () => {
    const t = makeManager();
    t.stores.regions.set('example.com', [HIDE]);
    await sharing(t);
    script(t.model, calling('read_page'));
    await t.manager.handle({ type: 'ask', text: 'Read it' });
    expect(responseOf(responses(t, 1), 'read_page').response.error).toMatch(/hid regions of this page.*refused/);
    expect(t.stores.pagesRead).toEqual([]);

    const stores = new MemoryStores();
    stores.tabUrls.set(7, 'https://online.mybank.example/accounts');
    const u = makeManager(stores);
    await sharing(u);
    await u.manager.handle({ type: 'resume' });
    script(u.model, calling('read_page'));
    await u.manager.handle({ type: 'ask', text: 'Read it' });
    expect(responseOf(responses(u, 1), 'read_page').response.error).toMatch(/online\.mybank\.example is on the person’s list of private sites/);
    expect(stores.pagesRead).toEqual([]);
  });

  it('without the permission the model is told, and the panel offers to allow it', async () => {
    const t = makeManager();
    t.stores.pages.set(7, { ok: false, permission: true, message: 'The person has not allowed Sightline to read pages yet.' });
    await sharing(t);
    script(t.model, calling('read_page'));
    await t.manager.handle({ type: 'ask', text: 'Read it' });
    expect(responseOf(responses(t, 1), 'read_page').response).toEqual({ error: 'The person has not allowed Sightline to read pages yet.' });
    expect(t.lastState()!.notice).toMatchObject({ kind: 'read-page-permission' });
  });
});

describe('the loop', () => {
  it('a slow tool answers with an error after its time limit, never a hang', async () => {
    const t = makeManager();
    await sharing(t);
    let grabbing = 0;
    t.capture.grab = async () => {
      if (++grabbing === 1) return payload('question', t.at());
      return new Promise(() => {}) as never;
    };
    script(t.model, calling('look_closer'));
    const { TOOL_TIMEOUT_MS } = await import('../../lib/conversation/tool-loop.ts');
    const { vi } = await import('vitest');
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const asked = t.manager.handle({ type: 'ask', text: 'Look closer please' });
      await vi.advanceTimersByTimeAsync(TOOL_TIMEOUT_MS + 10);
      await asked;
    } finally {
      vi.useRealTimers();
    }
    expect(responseOf(responses(t, 1), 'look_closer').response.error).toMatch(/did not finish within 8 s/);
    expect(t.lastState()!.session.turns[0]).toMatchObject({ status: 'done', toolCalls: [{ name: 'look_closer', ok: false, summary: 'gave up after 8 s' }] });
  });

  it(`stops calling after ${MAX_TOOL_ROUNDS} rounds: the last round is asked for text only`, async () => {
    const t = makeManager();
    await sharing(t);
    script(t.model, calling('timeline'), calling('timeline'), calling('timeline'), { ...calling('timeline'), text: 'Forced to answer.' });
    await t.manager.handle({ type: 'ask', text: 'What changed?' });
    expect(t.model.requests.map((r) => r.tools?.mode)).toEqual(['AUTO', 'AUTO', 'AUTO', 'NONE']);
    expect(t.lastState()!.session.turns[0]).toMatchObject({ status: 'done', answer: 'Forced to answer.' });
    expect(t.lastState()!.session.turns[0]!.toolCalls).toHaveLength(4);
  });

  it('Stop answering during a tool call stops the turn; nothing of the loop lands after', async () => {
    const t = makeManager();
    await sharing(t);
    let release: (() => void) | undefined;
    let grabbing = 0;
    t.capture.grab = async () => {
      if (++grabbing === 1) return payload('question', t.at());
      await new Promise<void>((r) => (release = r));
      return payload('late', t.at());
    };
    script(t.model, calling('look_closer'));
    const asked = t.manager.handle({ type: 'ask', text: 'Look closer' });
    while (!release) await new Promise((r) => setTimeout(r, 0));
    await t.manager.handle({ type: 'stop-answer' });
    release();
    await asked;
    expect(t.model.requests).toHaveLength(1);
    expect(t.lastState()!.session.turns[0]).toMatchObject({ status: 'stopped' });
  });

  it('an unknown function is an error the model reads', async () => {
    const t = makeManager();
    await sharing(t);
    script(t.model, calling('format_disk'));
    await t.manager.handle({ type: 'ask', text: 'q' });
    expect(responseOf(responses(t, 1), 'format_disk').response).toEqual({ error: 'There is no function called format_disk.' });
  });

  it('timeline gives the scenes since a time, with pictures of those without a note', async () => {
    const t = makeManager();
    await sharing(t);
    await t.manager.frameArrived(payload('early', t.at()));
    t.clock.time += 120_000;
    await t.manager.frameArrived(payload('late', t.at()));
    script(t.model, calling('timeline', { since: '1:00' }));
    await t.manager.handle({ type: 'ask', text: 'What changed since a minute in?' });
    const parts = responses(t, 1);
    const out = responseOf(parts, 'timeline').response.output as { scenes: Array<{ at: string; showed: string }> };
    expect(out.scenes).toEqual([expect.objectContaining({ at: '2:00', showed: '(picture attached)' }), expect.objectContaining({ showed: '(picture attached)' })]);
    expect(parts.filter((p) => p.inlineData).map((p) => Buffer.from(p.inlineData!.data!, 'base64').toString())).toEqual(['late', 'grab-1']);
  });

  it('the OpenAI-compatible backend gets no tools and no sound', async () => {
    const stores = new MemoryStores();
    stores.settings = { ...stores.settings, backend: 'openai', chatBaseUrl: 'http://localhost:11434/v1', chatModel: 'llava' };
    const t = makeManager(stores);
    t.capture.hears = true;
    await sharing(t);
    await t.manager.handle({ type: 'ask', text: 'Where is the button? What did he say?' });
    expect(t.model.requests[0]!.tools).toBeUndefined();
    expect(t.capture.grabOptions).toEqual([QUESTION_GRAB]);
  });
});
