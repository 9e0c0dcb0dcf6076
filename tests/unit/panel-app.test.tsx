// @vitest-environment jsdom
// @vitest-environment-options {"pretendToBeVisual": true}
/** The side panel as a person uses it: by its buttons' names, against a fake service worker. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { App } from '../../components/App.tsx';
import { createPanelClient, type PanelClient } from '../../lib/panel/client.ts';
import { loadSettings, saveSettings } from '../../lib/storage/settings.ts';
import { recordConsent } from '../../lib/storage/consent.ts';
import { FakeWorker, makeState, makeTurn } from './fake-panel-port.ts';
import type { PanelEvent } from '../../lib/protocol/messages.ts';

let worker: FakeWorker;
let client: PanelClient;
let root: HTMLElement;

const settle = () => act(async () => { for (let i = 0; i < 5; i++) await Promise.resolve(); await new Promise((r) => setTimeout(r, 0)); });

/** A button by its accessible name: aria-label, else its text (as a person with a screen reader hears it). */
function button(name: string): HTMLButtonElement | undefined {
  return Array.from(root.querySelectorAll('button')).find((b) => (b.getAttribute('aria-label') ?? b.textContent?.trim()) === name);
}
function mustButton(name: string): HTMLButtonElement {
  const b = button(name);
  if (!b) throw new Error(`no button "${name}" in: ${root.textContent}`);
  return b;
}
const log = () => root.querySelector<HTMLElement>('[role="log"]')!;
const emit = (event: PanelEvent) => act(() => worker.emit(event));
const click = (name: string) => act(() => mustButton(name).click());

function textbox(): HTMLTextAreaElement {
  const label = Array.from(root.querySelectorAll('label')).find((l) => l.textContent === 'Ask about what you see')!;
  return root.querySelector<HTMLTextAreaElement>(`#${label.htmlFor}`)!;
}
async function type(text: string) {
  await act(() => {
    const box = textbox();
    box.value = text;
    box.dispatchEvent(new Event('input', { bubbles: true }));
  });
}
const press = (key: string, shiftKey = false) =>
  act(() => void textbox().dispatchEvent(new KeyboardEvent('keydown', { key, shiftKey, bubbles: true, cancelable: true })));

async function mount({ consented = true, configured = true } = {}) {
  if (consented) await recordConsent();
  if (configured) await saveSettings({ proxyUrl: 'http://127.0.0.1:8787', accessToken: 'tok' });
  client = createPanelClient(worker.connect);
  await act(() => render(<App client={client} />, root));
  await settle();
}

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
  vi.unstubAllGlobals();
});

describe('first use', () => {
  it('shows the consent statement and offers no sharing until "I understand"', async () => {
    await mount({ consented: false });
    expect(root.textContent).toContain('Before you share');
    expect(root.textContent).toContain('Google’s Gemini API');
    expect(root.textContent).toContain('127.0.0.1:8787');
    for (const name of ['Share this tab', 'Share camera', 'Share screen']) expect(mustButton(name).disabled).toBe(true);
    // The ask box says why it cannot be used yet, instead of Enter silently doing nothing.
    expect(textbox().disabled).toBe(true);
    expect(root.textContent).toContain('Accept the notice above to ask.');
    await click('I understand');
    await settle();
    expect(root.textContent).not.toContain('Before you share');
    expect(mustButton('Share this tab').disabled).toBe(false);
    expect(textbox().disabled).toBe(false);
    await click('Share this tab');
    expect(worker.received).toEqual([{ type: 'share', source: 'tab' }]);
    expect(((await fakeBrowser.storage.local.get('consent')).consent as { version: number }).version).toBe(1);
  });

  it('follows the notice being accepted in another panel (a tab and the side panel, or a preloaded sidebar)', async () => {
    await mount({ consented: false });
    expect(root.textContent).toContain('Before you share');
    await act(() => recordConsent());
    await settle();
    expect(root.textContent).not.toContain('Before you share');
    expect(mustButton('Share this tab').disabled).toBe(false);
  });

  it('an unconfigured install starts with one setup card, before the notice; Continue saves it', async () => {
    await mount({ configured: false, consented: false });
    expect(root.textContent).toContain('Connect Sightline');
    expect(root.textContent).not.toContain('Before you share');
    expect(root.textContent).toContain('Connect Sightline above to ask.');
    const input = (label: string) =>
      Array.from(root.querySelectorAll('label')).find((l) => l.textContent?.startsWith(label))!.querySelector('input')!;
    expect(input('Access token').type).toBe('password');
    await act(() => {
      for (const [label, value] of [['Proxy URL', 'https://proxy.example/'], ['Access token', 'secret']]) {
        const el = input(label!);
        el.value = value!;
        el.dispatchEvent(new Event('input', { bubbles: true }));
      }
    });
    await click('Continue');
    await settle();
    expect(await loadSettings()).toMatchObject({ proxyUrl: 'https://proxy.example', accessToken: 'secret', keepFrames: false });
    // Then the notice, and only then sharing.
    expect(root.textContent).not.toContain('Connect Sightline');
    expect(root.textContent).toContain('Before you share');
  });

  it('"Test connection" checks the proxy and the token and says what it found', async () => {
    const fetch = vi.fn(async (url: URL | string, init?: RequestInit) => {
      if (String(url).endsWith('/healthz')) return new Response('{"ok":true}', { status: 200 });
      expect(new Headers(init?.headers).get('x-goog-api-key')).toBe('wrong');
      return new Response('{"error":{"message":"bad token"}}', { status: 401 });
    });
    vi.stubGlobal('fetch', fetch);
    await mount({ configured: false });
    await act(() => {
      for (const [label, value] of [['Proxy URL', 'http://127.0.0.1:8787'], ['Access token', 'wrong']]) {
        const el = Array.from(root.querySelectorAll('label')).find((l) => l.textContent?.startsWith(label!))!.querySelector('input')!;
        el.value = value!;
        el.dispatchEvent(new Event('input', { bubbles: true }));
      }
    });
    await click('Test connection');
    await settle();
    expect(fetch.mock.calls.map(([url]) => String(url))).toEqual([
      'http://127.0.0.1:8787/healthz',
      'http://127.0.0.1:8787/v1beta/models/gemini-flash-latest:countTokens',
    ]);
    expect(root.querySelector('.test-connection [role="status"]')!.textContent).toContain('refused the access token');
  });
});

describe('asking', () => {
  it('Enter sends the question, Shift+Enter does not', async () => {
    await mount();
    await emit({ type: 'state', state: makeState() });
    await type('What is this?');
    await press('Enter', true);
    // Typing hints that a question is coming (its frame is taken ahead); Shift+Enter sends nothing more.
    expect(worker.received).toEqual([{ type: 'typing' }]);
    await press('Enter');
    expect(worker.received).toEqual([{ type: 'typing' }, { type: 'ask', text: 'What is this?' }]);
    expect(textbox().value).toBe('');
  });

  it('shows how long a question has waited, then the answer as markdown while it streams', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'Date'] });
    vi.setSystemTime(10_000);
    await mount();
    await emit({ type: 'state', state: makeState({ turns: [makeTurn({ askedAt: 10_000 })] }) });
    expect(log().getAttribute('aria-live')).toBe('polite');
    expect(log().textContent).toContain('What colour is the page?');
    // Never "Waiting 0 s…": the first second says only that it waits.
    expect(log().textContent).toContain('Waiting…');
    expect(log().textContent).not.toContain('0 s');
    await act(() => void vi.advanceTimersByTime(3_000));
    expect(log().textContent).toContain('Waiting 3 s…');
    // Send became Stop, in the same place.
    expect(button('Stop answering')).toBeDefined();
    expect(button('Send')).toBeUndefined();

    // The worker sends the turn with its first words (status and firstTokenAt are its to set), then deltas.
    await emit({ type: 'turn', turn: makeTurn({ askedAt: 10_000, answer: 'The page is ', status: 'streaming', firstTokenAt: 13_000 }) });
    expect(log().textContent).not.toContain('Waiting');
    expect(log().textContent).toContain('The page is');
    await emit({ type: 'answer-delta', turnId: 't1', text: '**red**.' });
    expect(log().querySelector('strong')?.textContent).toBe('red');

    await click('Stop answering');
    expect(worker.received).toEqual([{ type: 'stop-answer' }]);
    await emit({ type: 'turn', turn: makeTurn({ answer: 'The page is **red**.', status: 'stopped' }) });
    expect(button('Stop answering')).toBeUndefined();
    expect(button('Send')).toBeDefined();
    expect(log().textContent).toContain('Stopped.');
  });

  it('renders a hostile answer inert', async () => {
    await mount();
    await emit({ type: 'state', state: makeState({ turns: [makeTurn({ status: 'streaming' })] }) });
    await emit({
      type: 'answer-delta',
      turnId: 't1',
      text: '<img src=x onerror=alert(1)> ![p](https://evil.example/p.png) [x](javascript:alert(1)) <script>alert(2)</script>',
    });
    expect(log().querySelector('script, img, [onerror]')).toBeNull();
    expect(log().querySelector('a')?.hasAttribute('href')).toBe(false);
  });

  it('shows a turn error with when to retry, and a notice that can be dismissed', async () => {
    await mount();
    await emit({
      type: 'state',
      state: makeState({
        turns: [makeTurn({ status: 'error', error: { kind: 'rate-limited', message: 'Gemini is busy.', retryAfterSec: 30 } })],
        notice: { kind: 'proxy-unreachable', message: 'The proxy at http://127.0.0.1:8787 does not answer.' },
      }),
    });
    expect(log().textContent).toContain('Gemini is busy. Try again in 30 s.');
    const alert = root.querySelector('[role="alert"]')!;
    expect(alert.textContent).toContain('does not answer');
    await click('Dismiss');
    expect(worker.received).toEqual([{ type: 'dismiss-notice' }]);
  });

  it('says when to retry once, even if the message already says it', async () => {
    await mount();
    const error = { kind: 'rate-limited' as const, message: 'Too many requests. Try again in 47 s.', retryAfterSec: 47 };
    await emit({ type: 'state', state: makeState({ turns: [makeTurn({ status: 'error', error })] }) });
    expect(log().textContent?.match(/Try again in 47 s/g)).toHaveLength(1);
  });

  it('"New conversation" asks the worker for a new session', async () => {
    await mount();
    await emit({ type: 'state', state: makeState({ turns: [makeTurn({ status: 'done', answer: 'Red.' })] }) });
    await click('New conversation');
    expect(worker.received).toEqual([{ type: 'new-conversation' }]);
  });
});

describe('sharing', () => {
  it('shows what is shared with a live thumbnail, and pauses, resumes and stops in one click', async () => {
    await mount();
    await emit({ type: 'state', state: makeState({ sharing: { status: 'on', source: 'tab', label: 'Quarterly slides' } }) });
    const region = root.querySelector('[aria-label="Sharing"]')!;
    expect(region.textContent).toContain('Sharing');
    expect(region.textContent).toContain('Quarterly slides');
    expect(button('Share this tab')).toBeUndefined();
    await emit({ type: 'thumbnail', thumbnail: { dataUrl: 'data:image/jpeg;base64,AAAA', capturedAt: 1 } });
    expect(root.querySelector('img[alt="What Sightline sees"]')?.getAttribute('src')).toBe('data:image/jpeg;base64,AAAA');
    await click('Pause');
    await emit({ type: 'state', state: makeState({ sharing: { status: 'paused', source: 'tab', label: 'Quarterly slides' } }) });
    expect(root.textContent).toContain('Sharing paused');
    await click('Resume');
    await click('Stop sharing');
    expect(worker.received).toEqual([{ type: 'pause' }, { type: 'resume' }, { type: 'stop-sharing' }]);
    await emit({ type: 'thumbnail' });
    await emit({ type: 'state', state: makeState({ sharing: { status: 'off', endedReason: 'You stopped sharing.' } }) });
    expect(root.querySelector('img[alt="What Sightline sees"]')).toBeNull();
    expect(root.textContent).toContain('Sharing stopped: You stopped sharing.');
  });

  it('asks for the camera itself before sharing it, and releases it', async () => {
    const stop = vi.fn();
    const getUserMedia = vi.fn().mockResolvedValue({ getTracks: () => [{ stop }] });
    vi.stubGlobal('navigator', { ...navigator, mediaDevices: { getUserMedia } });
    await mount();
    await click('Share camera');
    await settle();
    expect(getUserMedia).toHaveBeenCalledWith({ video: true });
    expect(stop).toHaveBeenCalled();
    expect(worker.received).toEqual([{ type: 'share', source: 'camera' }]);
  });

  it('explains a refused camera and does not start sharing', async () => {
    const refused = Object.assign(new Error('Permission denied'), { name: 'NotAllowedError' });
    vi.stubGlobal('navigator', { ...navigator, mediaDevices: { getUserMedia: vi.fn().mockRejectedValue(refused) } });
    await mount();
    await click('Share camera');
    await settle();
    expect(root.querySelector('[role="alert"]')?.textContent).toContain('Camera access was refused');
    expect(worker.received).toEqual([]);
  });
});
