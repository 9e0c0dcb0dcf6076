/**
 * How an answer ended (lib/core/answers/endings.ts, signals.ts): every documented finishReason, blocked prompts,
 * thoughts-only and empty streams, unknown reasons. Table-driven: each row is a stream of chunks as Gemini sends
 * them and what the person must read.
 */
import { describe, expect, it } from 'vitest';
import { emptySignals, readChunk, type ChunkLike } from '../../lib/core/answers/signals.ts';
import { classifyEnding, isIncomplete, leftOutOfHistory, noAnswerPlaceholder } from '../../lib/core/answers/endings.ts';
import type { EndingKind } from '../../lib/core/types.ts';

const text = (t: string, extra: object = {}): ChunkLike => ({ candidates: [{ content: { parts: [{ text: t }] }, index: 0, ...extra }] });
const finish = (reason: string): ChunkLike => ({ candidates: [{ content: { parts: [] }, finishReason: reason, index: 0 }] });
const usage = (thoughts = 0): ChunkLike => ({ usageMetadata: { thoughtsTokenCount: thoughts } } as ChunkLike);

function run(chunks: ChunkLike[]) {
  const signals = emptySignals();
  let answer = '';
  for (const c of chunks) answer += readChunk(signals, c);
  return { signals, answer, ending: classifyEnding(signals, answer) };
}

interface Row {
  name: string;
  chunks: ChunkLike[];
  kind: EndingKind | undefined;
  incomplete?: boolean;
  says?: RegExp;
}

const documented = ['SAFETY', 'RECITATION', 'LANGUAGE', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY', 'MALFORMED_FUNCTION_CALL', 'OTHER'];

const rows: Row[] = [
  { name: 'STOP with text is complete', chunks: [text('A red '), text('square.', { finishReason: 'STOP' })], kind: undefined },
  { name: 'MAX_TOKENS after text', chunks: [text('A long '), text('answer', { finishReason: 'MAX_TOKENS' })], kind: 'cut-short', incomplete: true, says: /length limit.*Ask for the rest/ },
  { name: 'MAX_TOKENS, no text, thoughtsTokenCount only', chunks: [{ candidates: [{ content: { role: 'model' } as never, finishReason: 'MAX_TOKENS' }], usageMetadata: { thoughtsTokenCount: 2999 } }], kind: 'thinking-only', incomplete: false, says: /thinking and wrote no answer/ },
  { name: 'MAX_TOKENS, no text, no thoughts', chunks: [finish('MAX_TOKENS')], kind: 'cut-short', incomplete: false, says: /before writing anything/ },
  {
    name: 'only thought parts, then STOP',
    chunks: [{ candidates: [{ content: { parts: [{ text: 'Looking at the chart', thought: true }] } }] }, { candidates: [{ content: { parts: [{ text: '…', thought: true }] }, finishReason: 'STOP' }] }],
    kind: 'thinking-only', says: /thought about this but wrote no answer/,
  },
  { name: 'SAFETY, no parts', chunks: [finish('SAFETY')], kind: 'safety', incomplete: false, says: /judged the answer unsafe\. Ask in other words/ },
  { name: 'SAFETY after text', chunks: [text('Here is '), finish('SAFETY')], kind: 'safety', incomplete: true, says: /part-way.*What arrived is kept/ },
  { name: 'RECITATION after text', chunks: [text('The lyrics go '), finish('RECITATION')], kind: 'recitation', incomplete: true, says: /word for word.*summary/ },
  { name: 'SPII', chunks: [finish('SPII')], kind: 'personal-info', says: /personal information.*Hide that part of the screen/ },
  { name: 'LANGUAGE', chunks: [finish('LANGUAGE')], kind: 'language' },
  { name: 'BLOCKLIST', chunks: [finish('BLOCKLIST')], kind: 'blocklist' },
  { name: 'PROHIBITED_CONTENT', chunks: [finish('PROHIBITED_CONTENT')], kind: 'prohibited' },
  { name: 'IMAGE_SAFETY', chunks: [finish('IMAGE_SAFETY')], kind: 'image-safety', says: /picture/ },
  { name: 'MALFORMED_FUNCTION_CALL', chunks: [finish('MALFORMED_FUNCTION_CALL')], kind: 'tool-call' },
  { name: 'OTHER', chunks: [finish('OTHER')], kind: 'other', says: /did not say why/ },
  { name: 'an unknown finishReason', chunks: [text('Part '), finish('SOMETHING_NEW')], kind: 'other', incomplete: true, says: /does not know yet \(“SOMETHING_NEW”\)/ },
  {
    name: 'a prompt blocked as a whole (usage only, no candidates)',
    chunks: [{ promptFeedback: { blockReason: 'PROHIBITED_CONTENT' }, usageMetadata: { candidatesTokenCount: 0 } }],
    kind: 'prompt-blocked', says: /refused this question.*prohibited content.*did not answer/,
  },
  { name: 'a prompt blocked for an unknown reason', chunks: [{ promptFeedback: { blockReason: 'NEW_REASON' } }], kind: 'prompt-blocked', says: /without saying why/ },
  { name: 'STOP with no parts at all', chunks: [finish('STOP')], kind: 'empty', says: /without writing an answer/ },
  { name: 'an empty text part carrying a thoughtSignature, STOP', chunks: [{ candidates: [{ content: { parts: [{ text: '', thoughtSignature: 'abc' } as never] }, finishReason: 'STOP' }] }], kind: 'empty' },
  { name: 'usage-only chunks', chunks: [usage(), usage()], kind: 'no-answer', says: /only its token counts/ },
  { name: 'no chunks at all', chunks: [], kind: 'no-answer', says: /reply was empty/ },
  { name: 'text, then the stream ends without finishReason', chunks: [text('So far '), text('so good')], kind: 'unfinished', incomplete: true, says: /before Gemini said it was finished/ },
];

describe('classifyEnding', () => {
  it.each(rows)('$name', ({ chunks, kind, incomplete, says }) => {
    const { ending } = run(chunks);
    expect(ending?.kind).toBe(kind);
    if (incomplete !== undefined) expect(ending?.incomplete).toBe(incomplete);
    if (says) expect(ending?.message).toMatch(says);
  });

  it.each(documented)('%s gets its own sentence, with and without text, and never a code alone', (reason) => {
    const without = run([finish(reason)]).ending!;
    const withText = run([text('Some words '), finish(reason)]).ending!;
    for (const e of [without, withText]) {
      expect(e.message).toMatch(/^Gemini .*\.$/);
      expect(e.message).not.toContain(reason);
      expect(e.reason).toBe(reason);
    }
    expect(without.incomplete).toBe(false);
    expect(withText.incomplete).toBe(true);
    expect(withText.message).not.toBe(without.message);
  });

  it('never leaves a turn with no text without a sentence, whatever the chunks', () => {
    const shapes: ChunkLike[][] = [[], [usage()], [finish('STOP')], [{ candidates: [{}] }], [{ candidates: [] }], [{ promptFeedback: {} }]];
    for (const chunks of shapes) {
      const e = run(chunks).ending;
      expect(e?.message.length).toBeGreaterThan(20);
    }
    expect(classifyEnding(undefined, '')?.kind).toBe('empty');
    expect(classifyEnding(undefined, 'An answer.')).toBeUndefined();
  });

  it('keeps thought text out of the answer and collects it apart', () => {
    const { answer, signals, ending } = run([
      { candidates: [{ content: { parts: [{ text: 'Hmm, the chart…', thought: true }, { text: 'It shows ' }] } }] },
      { candidates: [{ content: { parts: [{ text: 'growth.' }] }, finishReason: 'STOP' }], usageMetadata: { thoughtsTokenCount: 40 } },
    ]);
    expect(answer).toBe('It shows growth.');
    expect(signals.thoughts).toBe('Hmm, the chart…');
    expect(ending).toBeUndefined();
  });

  it('reads only the first candidate', () => {
    const { answer } = run([{ candidates: [{ index: 1, content: { parts: [{ text: 'other' }] } }, { index: 0, content: { parts: [{ text: 'mine' }] }, finishReason: 'STOP' }] }]);
    expect(answer).toBe('mine');
  });
});

describe('turn helpers', () => {
  const blocked = run([{ promptFeedback: { blockReason: 'SAFETY' } }]).ending!;
  it('marks text cut by an ending, an error or a stop as incomplete', () => {
    expect(isIncomplete({ answer: 'x', status: 'done', ending: run([text('x'), finish('MAX_TOKENS')]).ending })).toBe(true);
    expect(isIncomplete({ answer: 'x', status: 'error' })).toBe(true);
    expect(isIncomplete({ answer: '', status: 'error' })).toBe(false);
    expect(isIncomplete({ answer: 'x', status: 'done' })).toBe(false);
  });
  it('leaves blocked prompts out of later requests, and never replays an empty model turn', () => {
    expect(leftOutOfHistory({ ending: blocked })).toBe(true);
    expect(leftOutOfHistory({})).toBe(false);
    expect(noAnswerPlaceholder({ status: 'done', ending: run([finish('SAFETY')]).ending })).toBe('(No answer: safety.)');
    expect(noAnswerPlaceholder({ status: 'error' })).toMatch(/request failed/);
  });
});
