// @vitest-environment jsdom
// @vitest-environment-options {"pretendToBeVisual": true}
/** Issue 11 in the panel's DOM: errors you can act on, what goes along with a question, empty states, views. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { App } from '../../components/App.tsx';
import { createPanelClient, type PanelClient } from '../../lib/panel/client.ts';
import { saveSettings } from '../../lib/storage/settings.ts';
import { recordConsent } from '../../lib/storage/consent.ts';
import { FakeWorker, makeState, makeTurn } from './fake-panel-port.ts';
import type { PanelEvent, PanelState } from '../../lib/protocol/messages.ts';
import type { UserError } from '../../lib/core/types.ts';

let worker: FakeWorker;
let client: PanelClient;
let root: HTMLElement;

const settle = () => act(async () => { for (let i = 0; i < 5; i++) await Promise.resolve(); await new Promise((r) => setTimeout(r, 0)); });
const buttons = (name: string) =>
  Array.from(root.querySelectorAll('button')).filter((b) => (b.getAttribute('aria-label') ?? b.textContent?.trim()) === name);
function mustButton(name: string): HTMLButtonElement {
  const b = buttons(name)[0];
  if (!b) throw new Error(`no button "${name}" in: ${root.textContent}`);
  return b;
}
const emit = (event: PanelEvent) => act(() => worker.emit(event));
const click = (name: string) => act(() => mustButton(name).click());
const box = () => root.querySelector<HTMLTextAreaElement>('#ask-input')!;
const context = () => root.querySelector('#ask-context')!.textContent;
const tab: PanelState['sharing'] = { status: 'on', source: 'tab', label: 'Quarterly slides', site: 'example.com' };

async function mount() {
  await recordConsent();
  await saveSettings({ proxyUrl: 'http://127.0.0.1:8787', accessToken: 'tok' });
  client = createPanelClient(worker.connect);
  await act(() => render(<App client={client} />, root));
  await settle();
}
const failed = (error: UserError, question = 'What colour is the page?') =>
  emit({ type: 'state', state: makeState({ turns: [makeTurn({ question, status: 'error', error })] }) });

beforeEach(() => {
  fakeBrowser.reset();
  worker = new FakeWorker();
  root = document.createElement('div');
  document.body.appendChild(root);
});
afterEach(() => {
  act(() => render(null, root));
  root.remove();
  client.close();
  vi.useRealTimers();
});

describe('errors you can act on', () => {
  it('a rate limit counts down live, then Retry asks the same question again', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'Date'] });
    vi.setSystemTime(50_000);
    await mount();
    await failed({ kind: 'rate-limited', message: 'Too many requests right now. Try again in 3 s.', retryAfterSec: 3 });
    const card = () => root.querySelector('article .error-card')!;
    expect(card().textContent).toContain('Too many requests right now. Try again in 3 s.');
    expect(mustButton('Retry').disabled).toBe(true);
    await act(() => void vi.advanceTimersByTime(1_000));
    expect(card().textContent).toContain('Try again in 2 s.');
    await act(() => void vi.advanceTimersByTime(2_000));
    expect(card().textContent).toContain('You can try again now.');
    expect(card().textContent).not.toContain('Try again in');
    await click('Retry');
    expect(worker.received).toEqual([{ type: 'ask', text: 'What colour is the page?' }]);
  });

  it.each<[string, UserError]>([
    ['the proxy cannot be reached', { kind: 'proxy-unreachable', message: 'Cannot reach the proxy.' }],
    ['the token is refused', { kind: 'unauthorized', message: 'The proxy refused the access token.' }],
  ])('when %s, Open Settings opens them, with Back to the conversation', async (_name, error) => {
    await mount();
    await failed(error);
    await click('Open Settings');
    expect(root.querySelector('h1')!.textContent).toBe('Settings');
    expect(document.activeElement).toBe(root.querySelector('h1'));
    expect(root.querySelector('[role="log"]')).toBeNull();
    await click('Back');
    // The failed question and its sentence are still there.
    expect(root.querySelector('[role="log"]')!.textContent).toContain(error.message);
    expect(root.querySelector('[role="log"]')!.textContent).toContain('What colour is the page?');
  });

  it('a blocked prompt: Edit question puts it back in the ask box, focused', async () => {
    await mount();
    await failed({ kind: 'bad-request', message: 'Gemini declined this question.', action: 'edit-question' }, 'Say something rude');
    await click('Edit question');
    await act(() => new Promise((r) => setTimeout(r, 0)));
    expect(box().value).toBe('Say something rude');
    expect(document.activeElement).toBe(box());
  });

  it('only the newest turn offers an action; the failed question stays in the log', async () => {
    await mount();
    const error: UserError = { kind: 'upstream', message: 'Gemini had a problem.' };
    await emit({
      type: 'state',
      state: makeState({ turns: [makeTurn({ id: 'a', question: 'First?', status: 'error', error }), makeTurn({ id: 'b', question: 'Second?', status: 'error', error })] }),
    });
    expect(buttons('Retry')).toHaveLength(1);
    expect(root.querySelector('[role="log"]')!.textContent).toContain('First?');
  });

  it('a notice about the proxy offers Settings too', async () => {
    await mount();
    await emit({ type: 'state', state: makeState({ notice: { kind: 'not-configured', message: 'Set the proxy URL.' } }) });
    expect(root.querySelector('[role="alert"]')!.textContent).toContain('Set the proxy URL.');
    await click('Open Settings');
    expect(root.querySelector('h1')!.textContent).toBe('Settings');
  });
});

describe('what goes along with a question', () => {
  it('says what is shared, or that nothing is, and offers sharing from the ask box once there is a conversation', async () => {
    await mount();
    await emit({ type: 'state', state: makeState({ sharing: tab }) });
    expect(context()).toContain('Tab: Quarterly slides');
    expect(buttons('Look closer')).toHaveLength(1);
    await emit({ type: 'state', state: makeState({ sharing: { ...tab, status: 'paused' } }) });
    expect(context()).toContain('Paused · no picture goes along');
    await emit({ type: 'state', state: makeState({ sharing: { status: 'off' } }) });
    expect(context()).toContain('Nothing shared');
    // The big Share button is in the empty conversation: one "Share this tab" on screen at a time.
    expect(root.querySelector('[role="log"] button.big')!.textContent).toContain('Share this tab');
    await emit({ type: 'state', state: makeState({ turns: [makeTurn({ status: 'done', answer: 'Red.' })] }) });
    expect(buttons('Share this tab')).toHaveLength(1);
    expect(root.querySelector('#ask-context')!.contains(mustButton('Share this tab'))).toBe(true);
    expect(buttons('Share camera')).toHaveLength(1);
  });

  it('while sharing, the empty conversation suggests questions; one click asks it', async () => {
    await mount();
    await emit({ type: 'state', state: makeState({ sharing: tab }) });
    const suggestions = Array.from(root.querySelectorAll<HTMLButtonElement>('button.suggestion'));
    expect(suggestions.length).toBeGreaterThanOrEqual(2);
    expect(suggestions.length).toBeLessThanOrEqual(3);
    await act(() => suggestions[0]!.click());
    expect(worker.received).toEqual([{ type: 'ask', text: suggestions[0]!.textContent }]);
  });
});

describe('the live bar and the views', () => {
  it('the live bar holds the state, the thumbnail button, Pause and Stop sharing, in every view', async () => {
    await mount();
    await emit({ type: 'state', state: makeState({ sharing: tab, turns: [makeTurn({ status: 'done', answer: 'Red.' })] }) });
    for (const view of ['main', 'History', 'Settings']) {
      if (view !== 'main') await click(view);
      const bar = root.querySelector('[aria-label="Sharing"]')!;
      expect(bar.textContent, view).toContain('Tab: Quarterly slides');
      expect(bar.contains(mustButton('Stop sharing')), view).toBe(true);
      expect(bar.contains(mustButton('Pause')), view).toBe(true);
      if (view !== 'main') await click('Back');
    }
  });

  it('the header has labelled icon buttons; a view opens with Back and returns focus to its button', async () => {
    await mount();
    await emit({ type: 'state', state: makeState() });
    for (const name of ['New conversation', 'History', 'Settings']) expect(mustButton(name).getAttribute('title')).toBe(name);
    await click('History');
    expect(worker.received).toEqual([{ type: 'list-conversations' }]);
    await click('Back');
    expect(document.activeElement).toBe(mustButton('History'));
  });

  it('Settings: capture as Low / Balanced / Sharp, numbers under Advanced', async () => {
    await mount();
    await click('Settings');
    const radios = Array.from(root.querySelectorAll<HTMLInputElement>('input[type="radio"]'));
    const named = (name: string) => radios.find((r) => r.closest('label')!.textContent!.startsWith(name))!;
    expect(named('Balanced').checked).toBe(true);
    await act(() => named('Sharp').click());
    await click('Save settings');
    await settle();
    const { loadSettings } = await import('../../lib/storage/settings.ts');
    expect(await loadSettings()).toMatchObject({ fps: 2, minFps: 1, quality: 0.85 });
    expect(root.querySelector('details.advanced')!.textContent).toContain('Frames per second');
    expect(Array.from(root.querySelectorAll('legend')).map((l) => l.textContent)).toEqual(['Connection', 'Privacy', 'Capture', 'Cost']);
  });
});
