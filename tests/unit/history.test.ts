import { describe, expect, it } from 'vitest';
import type { Content, Part } from '@google/genai';
import { buildRequest, estimateTokens, newConversation, parseAnswer, SCENE_NOTE_PREFIX } from '../../lib/core/conversation/history.ts';
import type { Frame, Conversation, Turn } from '../../lib/core/types.ts';

const T0 = 1_700_000_000_000;

/** The first bytes of a JPEG (SOI, APP0, SOF0): enough for a reader of the frame size. */
function jpegBase64(width: number, height: number): string {
  const app0 = [0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0];
  const sof0 = [0xff, 0xc0, 0, 17, 8, height >> 8, height & 255, width >> 8, width & 255, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
  return Buffer.from([0xff, 0xd8, ...app0, ...sof0, 0xff, 0xda, 0, 8]).toString('base64');
}

function frame(id: string, atSec: number, extra: Partial<Frame> = {}): Frame {
  return {
    id, capturedAt: T0 + atSec * 1000, width: 768, height: 432, mimeType: 'image/jpeg',
    data: `${jpegBase64(768, 432)}#${id}`, source: 'tab', reason: 'sampled', ...extra,
  };
}

function turn(id: string, atSec: number, question: string, answer = '', extra: Partial<Turn> = {}): Turn {
  return { id, question, askedAt: T0 + atSec * 1000, answer, status: answer ? 'done' : 'waiting', ...extra };
}

function session(turns: Turn[], frames: Frame[], extra: Partial<Conversation> = {}): Conversation {
  return { ...newConversation(T0, 's1'), turns, frames, ...extra };
}

const texts = (c: Content) => (c.parts ?? []).map((p) => p.text ?? `<img ${p.inlineData?.data?.split('#')[1]}>`);
const allText = (cs: Content[]) => cs.flatMap(texts).join('\n');
/** The frames a request carries as images, by id, in order: what the model sees. */
const imagesIn = (cs: Content[]) => cs.flatMap(texts).filter((t) => t.startsWith('<img')).map((t) => t.slice(5, -1));

describe('buildRequest', () => {
  it('sends the question with the frame taken when it was asked, right before the question text', () => {
    const s = session([turn('t1', 10, 'What is on the slide?', '', { frameId: 'q1' })], [frame('q1', 10, { reason: 'question' })]);
    const plan = buildRequest(s);
    expect(plan.contents).toHaveLength(1);
    expect(plan.contents[0]!.role).toBe('user');
    const parts = plan.contents[0]!.parts!;
    expect(parts.at(-2)!.inlineData!.data).toBe(s.frames[0]!.data);
    expect(parts.at(-3)!.text).toContain('when this question was asked');
    expect(parts.at(-1)!.text).toContain('What is on the slide?');
    expect(imagesIn(plan.contents)).toEqual(['q1']);
    expect(plan.systemInstruction).toContain('not visible');
    expect(plan.systemInstruction).toContain(SCENE_NOTE_PREFIX);
  });

  it('carries earlier turns as alternating user/model contents, with frames in the turn they preceded', () => {
    const s = session(
      [
        turn('t1', 20, 'What app is this?', 'It is a spreadsheet.\nSCENE: a spreadsheet of sales', { frameId: 'q1' }),
        turn('t2', 60, 'And now?', '', { frameId: 'q2' }),
      ],
      [frame('a', 5), frame('q1', 20), frame('b', 40), frame('q2', 60)],
    );
    const plan = buildRequest(s);
    expect(plan.contents.map((c) => c.role)).toEqual(['user', 'model', 'user']);
    const first = texts(plan.contents[0]!);
    expect(first[0]).toContain('15 s before this question');
    expect(first.filter((t) => t.startsWith('<img'))).toEqual(['<img a>', '<img q1>']);
    expect(first.at(-1)).toContain('What app is this?');
    expect(texts(plan.contents[1]!).join('')).toBe('It is a spreadsheet.\nSCENE: a spreadsheet of sales');
    expect(texts(plan.contents[2]!).filter((t) => t.startsWith('<img'))).toEqual(['<img b>', '<img q2>']);
    expect(imagesIn(plan.contents)).toEqual(['a', 'q1', 'b', 'q2']);
  });

  it('sends only the newest frames inline; older ones live on as their notes', () => {
    const frames = [
      frame('f1', 1, { note: 'a login page' }),
      frame('f2', 2),
      frame('f3', 3, { data: '', note: 'a chart of revenue' }),
      frame('f4', 4),
      frame('f5', 5),
      frame('q', 6),
    ];
    const s = session([turn('t1', 6, 'What changed?', '', { frameId: 'q' })], frames);
    const plan = buildRequest(s, { maxInlineFrames: 3 });
    expect(imagesIn(plan.contents)).toEqual(['f4', 'f5', 'q']);
    const text = allText(plan.contents);
    expect(text).toContain('a login page');
    expect(text).toContain('a chart of revenue');
    expect(text).not.toContain('<img f2>');
    expect(text).not.toMatch(/captured at 0:02/); // no note, no bytes sent: nothing to say
  });

  it('opens with the summary and leaves the summarized turns out', () => {
    const s = session(
      [
        turn('t1', 10, 'OLD QUESTION', 'OLD ANSWER', { frameId: 'q1' }),
        turn('t2', 20, 'Middle question', 'Middle answer', { frameId: 'q2' }),
        turn('t3', 30, 'Newest question', '', { frameId: 'q3' }),
      ],
      [frame('q1', 10), frame('q2', 20), frame('q3', 30)],
      { summary: 'The user is reading a tutorial on knots.', summarizedTurns: 1 },
    );
    const plan = buildRequest(s);
    const text = allText(plan.contents);
    expect(texts(plan.contents[0]!)[0]).toContain('The user is reading a tutorial on knots.');
    expect(text).not.toContain('OLD QUESTION');
    expect(text).not.toContain('OLD ANSWER');
    expect(imagesIn(plan.contents)).not.toContain('q1');
    expect(plan.contents.map((c) => c.role)).toEqual(['user', 'model', 'user']);
  });

  it('keeps user/model alternation when an earlier question failed without an answer', () => {
    const s = session(
      [turn('t1', 10, 'First?', '', { status: 'error' }), turn('t2', 20, 'Second?', '')],
      [],
    );
    const plan = buildRequest(s);
    expect(plan.contents.map((c) => c.role)).toEqual(['user', 'model', 'user']);
    expect(texts(plan.contents[1]!)[0]).toMatch(/no answer/i);
    expect(texts(plan.contents[2]!).join('')).toContain('no frame of the screen was available');
  });

  it('never exceeds the token budget, however long the session', () => {
    const turns: Turn[] = [];
    const frames: Frame[] = [];
    for (let i = 0; i < 300; i++) {
      frames.push(frame(`q${i}`, i * 30));
      turns.push(turn(`t${i}`, i * 30, `Question ${i} ${'x'.repeat(200)}`, `Answer ${i} ${'y'.repeat(800)}`, { frameId: `q${i}` }));
    }
    turns[299] = { ...turns[299]!, answer: '', status: 'waiting' };
    const plan = buildRequest(session(turns, frames), { tokenBudget: 8000 });
    expect(plan.estimatedTokens).toBeLessThanOrEqual(8000);
    expect(plan.estimatedTokens).toBeGreaterThan(6000);
    expect(allText(plan.contents)).toContain('Question 299');
    expect(plan.contents[0]!.role).toBe('user');
  });
});

describe('parseAnswer', () => {
  it('strips the trailing scene line and returns it as the note', () => {
    expect(parseAnswer('The chart shows **sales**.\n\nSCENE: a bar chart of monthly sales\n')).toEqual({
      answer: 'The chart shows **sales**.',
      sceneNote: 'a bar chart of monthly sales',
    });
    expect(parseAnswer('Yes.\n**Scene note:** a chat window with three messages')).toEqual({
      answer: 'Yes.',
      sceneNote: 'a chat window with three messages',
    });
  });

  it('leaves an answer without a scene line alone', () => {
    expect(parseAnswer('The scene: a quiet street.\nNothing else is visible.')).toEqual({
      answer: 'The scene: a quiet street.\nNothing else is visible.',
    });
  });

  it('holds back a scene line that is still streaming in', () => {
    expect(parseAnswer('It is a cat.\nSCE').answer).toBe('It is a cat.');
    expect(parseAnswer('It is a cat.\nSCENE: a cat on a so').answer).toBe('It is a cat.');
    expect(parseAnswer('It is a cat.\nSo').answer).toBe('It is a cat.\nSo');
  });
});

describe('estimateTokens', () => {
  const img = (w: number, h: number, level?: string): Content => ({
    role: 'user',
    parts: [{ inlineData: { mimeType: 'image/jpeg', data: jpegBase64(w, h) }, ...(level ? { mediaResolution: { level } } : {}) } as Part],
  });
  it('counts Gemini 2.x images by their 768 px tiles and text by characters', () => {
    expect(estimateTokens([img(384, 216)], 'gemini-2')).toBe(258);
    expect(estimateTokens([img(768, 432)], 'gemini-2')).toBe(258);
    expect(estimateTokens([img(1280, 720)], 'gemini-2')).toBe(516);
    expect(estimateTokens([img(1920, 1080)], 'gemini-2')).toBe(258 * 3 * 2);
    expect(estimateTokens([img(768, 432, 'MEDIA_RESOLUTION_LOW')], 'gemini-2')).toBe(258); // 2.x reads no level
    expect(estimateTokens([{ role: 'user', parts: [{ text: 'x'.repeat(400) }] }])).toBe(100);
  });

  it('counts Gemini 3 images by the media resolution of the part, HIGH when it names none', () => {
    expect(estimateTokens([img(768, 432, 'MEDIA_RESOLUTION_LOW')])).toBe(280);
    expect(estimateTokens([img(1536, 864, 'MEDIA_RESOLUTION_ULTRA_HIGH')], 'gemini-3')).toBe(2240);
    expect(estimateTokens([img(1920, 1080)], 'gemini-3')).toBe(1120);
  });
});
