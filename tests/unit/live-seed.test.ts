// The seed of a new Live session when its handle is refused: the starting summary plus this talk's own lines.
import { describe, expect, it } from 'vitest';
import { seedWithTranscript, type TranscriptLine } from '../../lib/core/live/transcript.ts';

const line = (id: number, role: 'user' | 'model', text: string, status: TranscriptLine['status'] = 'complete'): TranscriptLine =>
  ({ id, role, text, status, generation: 1, startedAt: id });

describe('seedWithTranscript', () => {
  it('adds the voice conversation so far to the summary it started with, marking cut answers', () => {
    const seed = seedWithTranscript('Earlier: a typed question about a chart.', [
      line(1, 'user', 'What colour is it?'), line(2, 'model', 'Red.'), line(3, 'user', 'Tell a story.'), line(4, 'model', 'Once upon', 'interrupted'),
    ]);
    expect(seed).toBe('Earlier: a typed question about a chart.\n\nThis voice conversation so far:\nPerson: What colour is it?\nGemini: Red.\nPerson: Tell a story.\nGemini: Once upon (cut off)');
  });

  it('keeps the newest lines within the bound, whole', () => {
    const lines = Array.from({ length: 500 }, (_, i) => line(i, i % 2 ? 'model' : 'user', `Line number ${i} of the talk.`));
    const seed = seedWithTranscript('', lines, 1000);
    expect(seed.length).toBeLessThanOrEqual(1000);
    expect(seed).toContain('Line number 499 of the talk.');
    expect(seed).not.toContain('Line number 100 of');
    expect(seed.split('\n').slice(1).every((l) => /^(Person|Gemini): Line number \d+ of the talk\.$/.test(l))).toBe(true);
  });

  it('is the starting summary alone when nothing was said', () => {
    expect(seedWithTranscript('Earlier.', [])).toBe('Earlier.');
    expect(seedWithTranscript('', [line(1, 'user', '  ')])).toBe('');
  });
});
