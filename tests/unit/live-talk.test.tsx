// @vitest-environment jsdom
/** Start talking only where it can work: not with a model server of one's own, disabled with a reason while paused. */
import { describe, expect, it } from 'vitest';
import { render } from 'preact';
import { LiveTalk } from '../../components/LiveTalk.tsx';

function show(unavailable?: 'own-server' | 'paused'): HTMLElement {
  const root = document.createElement('div');
  render(<LiveTalk live={undefined} level={undefined} onStart={() => {}} onEnd={() => {}} onMute={() => {}} unavailable={unavailable} />, root);
  return root;
}

describe('LiveTalk: Start talking', () => {
  it('is offered while sharing through Gemini', () => {
    const button = show().querySelector('button')!;
    expect(button.textContent).toBe('Start talking');
    expect(button.disabled).toBe(false);
  });

  it('is not offered with a model server of one’s own (Live is Gemini’s)', () => {
    expect(show('own-server').querySelector('button')).toBeNull();
  });

  it('is disabled while sharing is paused, and says why', () => {
    const root = show('paused');
    const button = root.querySelector('button')!;
    expect(button.disabled).toBe(true);
    const why = root.querySelector(`#${button.getAttribute('aria-describedby')}`);
    expect(why?.textContent).toBe('Resume sharing to talk.');
  });
});
