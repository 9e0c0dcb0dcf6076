// @vitest-environment jsdom
/** One turn in the panel: the ending sentence, the incomplete mark, thoughts collapsed and never the answer. */
import { describe, expect, it } from 'vitest';
import { render } from 'preact';
import { TurnView } from '../../components/TurnView.tsx';
import type { Turn } from '../../lib/core/types.ts';

function show(turn: Partial<Turn>): HTMLElement {
  const root = document.createElement('div');
  const actions = { onRetry: () => {}, onEditQuestion: () => {}, onOpenSettings: () => {} };
  render(<TurnView turn={{ id: 't', question: 'Q?', askedAt: Date.now(), answer: '', status: 'done', ...turn }} pinned={false} latest actions={actions} />, root);
  return root;
}

describe('TurnView', () => {
  it('a turn with no text shows its ending sentence and no answer bubble', () => {
    const root = show({ ending: { kind: 'prompt-blocked', message: 'Gemini refused this question.', incomplete: false, action: 'edit-question' } });
    expect(root.querySelector('.answer')).toBeNull();
    expect(root.querySelector('.error-card .error')?.textContent).toBe('Gemini refused this question.');
    expect(root.querySelector('.error-card button')?.textContent).toBe('Edit question');
    expect(root.querySelector('.waiting')).toBeNull();
  });

  it('cut text keeps its words and is marked incomplete', () => {
    const root = show({ answer: 'Half', ending: { kind: 'cut-short', message: 'Gemini stopped here.', incomplete: true } });
    expect(root.querySelector('.answer')?.textContent).toContain('Half');
    expect(root.querySelector('.incomplete')).not.toBeNull();
    expect(show({ answer: 'Half', status: 'error', error: { kind: 'stream-dropped', message: 'Cut off.' } }).querySelector('.incomplete')).not.toBeNull();
    expect(show({ answer: 'Whole answer.' }).querySelector('.incomplete')).toBeNull();
  });

  it('thoughts sit in a closed "Thinking" section, as plain text, never in the answer', () => {
    const root = show({ answer: 'It shows growth.', thoughts: 'Looking at <b>axes</b>' });
    const details = root.querySelector('details.thinking') as HTMLDetailsElement;
    expect(details.open).toBe(false);
    expect(details.querySelector('summary')?.textContent).toBe('Thinking');
    expect(details.textContent).toContain('Looking at <b>axes</b>');
    expect(details.querySelector('b')).toBeNull();
    expect(root.querySelector('.answer')?.textContent).not.toContain('Looking');
  });
});
