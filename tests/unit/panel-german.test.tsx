// @vitest-environment jsdom
// @vitest-environment-options {"pretendToBeVisual": true}
/**
 * The second language, end to end in the panel's DOM: with the browser in German (locales/de.yml loaded into
 * the fake browser), the key states show German buttons and sentences, and no English panel string is left.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { App } from '../../components/App.tsx';
import { createPanelClient, type PanelClient } from '../../lib/panel/client.ts';
import { saveSettings } from '../../lib/storage/settings.ts';
import { recordConsent } from '../../lib/storage/consent.ts';
import { FakeWorker, makeState, makeTurn } from './fake-panel-port.ts';
import type { PanelEvent, PanelState } from '../../lib/protocol/messages.ts';
import { chromeMessages, useLocale } from '../support/i18n-messages.ts';

let worker: FakeWorker;
let client: PanelClient;
let root: HTMLElement;

const settle = () => act(async () => { for (let i = 0; i < 5; i++) await Promise.resolve(); await new Promise((r) => setTimeout(r, 0)); });
const names = () => Array.from(root.querySelectorAll('button')).map((b) => b.getAttribute('aria-label') ?? b.textContent?.trim());
function mustButton(name: string): HTMLButtonElement {
  const b = Array.from(root.querySelectorAll('button')).find((x) => (x.getAttribute('aria-label') ?? x.textContent?.trim()) === name);
  if (!b) throw new Error(`no button "${name}" among: ${names().join(' | ')}`);
  return b;
}
const emit = (event: PanelEvent) => act(() => worker.emit(event));
const click = (name: string) => act(() => mustButton(name).click());
const tab: PanelState['sharing'] = { status: 'on', source: 'tab', label: 'Quartalsfolien', site: 'example.com' };

/** Every English panel sentence that German words differently (long enough not to occur by chance). */
const EN = chromeMessages('en');
const DE = chromeMessages('de');
const englishOnly = Object.entries(EN)
  .filter(([key, { message }]) => DE[key]?.message !== message && message.replace(/\{\w+\}|\$\d/g, '').trim().length >= 8)
  .map(([key, { message }]) => ({ key, fixed: message.split(/\{\w+\}|\$\d| \| /).reduce((a, b) => (b.length > a.length ? b : a), '').trim() }))
  .filter(({ fixed }) => fixed.length >= 8);
/** The panel's text and accessible names (aria-label, title, placeholder, alt). */
function everythingReadable(): string {
  const attrs = Array.from(root.querySelectorAll('[aria-label],[title],[placeholder],[alt]')).flatMap((el) =>
    ['aria-label', 'title', 'placeholder', 'alt'].map((a) => el.getAttribute(a) ?? ''),
  );
  return [root.textContent ?? '', ...attrs].join('\n');
}
function expectNoEnglish() {
  const text = everythingReadable();
  expect(englishOnly.filter(({ fixed }) => text.includes(fixed)).map(({ key }) => key)).toEqual([]);
}

async function mount({ configured = true, consented = true } = {}) {
  if (consented) await recordConsent();
  if (configured) await saveSettings({ proxyUrl: 'http://127.0.0.1:8787', accessToken: 'tok' });
  client = createPanelClient(worker.connect);
  await act(() => render(<App client={client} />, root));
  await settle();
}

beforeEach(() => {
  fakeBrowser.reset();
  useLocale('de');
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
afterAll(() => useLocale('en'));

describe('the panel in German', () => {
  it('first run: the setup card, then the notice', async () => {
    await mount({ configured: false, consented: false });
    expect(root.textContent).toContain('Sightline verbinden');
    expect(root.textContent).toContain('Proxy-URL');
    expect(root.textContent).toContain('Zugriffstoken');
    expect(mustButton('Weiter')).toBeTruthy();
    expect(mustButton('Verbindung testen')).toBeTruthy();
    expect(root.querySelector('.chip.blocked')?.textContent).toBe('Verbinde Sightline oben, um Fragen zu stellen.');
    expectNoEnglish();
  });

  it('the notice names the proxy, and Verstanden accepts it', async () => {
    await mount({ consented: false });
    expect(root.textContent).toContain('Bevor du etwas teilst');
    expect(root.textContent).toContain('an deinen Proxy (127.0.0.1:8787), der sie zur Beantwortung an die Gemini API von Google weitergibt.');
    expectNoEnglish();
    await click('Verstanden');
    await settle();
    expect(mustButton('Diesen Tab teilen').disabled).toBe(false);
  });

  it('nothing shared: the share buttons, the ask box and the header', async () => {
    await mount();
    await emit({ type: 'state', state: makeState() });
    for (const name of ['Diesen Tab teilen', 'Kamera teilen', 'Bildschirm teilen', 'Senden', 'Neue Unterhaltung', 'Verlauf', 'Einstellungen']) {
      expect(mustButton(name)).toBeTruthy();
    }
    expect(root.querySelector('#ask-input')!.getAttribute('placeholder')).toBe('Frag, was du siehst …');
    expect(root.querySelector('#ask-context')!.textContent).toBe('Nichts geteilt · nur Text');
    expectNoEnglish();
  });

  it('sharing a tab: the live bar, suggestions, Genauer hinsehen', async () => {
    await mount();
    await emit({ type: 'state', state: makeState({ sharing: tab }) });
    for (const name of ['Pausieren', 'Teilen beenden', 'Genauer hinsehen', 'Was ist gerade auf dem Bildschirm zu sehen?']) expect(mustButton(name)).toBeTruthy();
    expect(root.querySelector('.livebar')!.textContent).toContain('Wird geteilt · Tab: Quartalsfolien');
    expectNoEnglish();
    await emit({ type: 'state', state: makeState({ sharing: { ...tab, status: 'paused' } }) });
    expect(mustButton('Fortsetzen')).toBeTruthy();
    expect(root.querySelector('#ask-context')!.textContent).toBe('Pausiert · es wird kein Bild mitgesendet');
  });

  it('an answer on its way, then a rate limit with its countdown and Erneut versuchen', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'Date'] });
    vi.setSystemTime(50_000);
    await mount();
    await emit({ type: 'state', state: makeState({ turns: [makeTurn({ question: 'Welche Farbe?', askedAt: 50_000 })] }) });
    expect(mustButton('Antwort abbrechen')).toBeTruthy();
    // The service worker's sentence stays as it came (lib/core is English for now); the panel's parts are German.
    const error = { kind: 'rate-limited' as const, message: 'Gemini: 429.', retryAfterSec: 3 };
    await emit({ type: 'state', state: makeState({ turns: [makeTurn({ question: 'Welche Farbe?', status: 'error', error })] }) });
    expect(root.querySelector('.error-card')!.textContent).toContain('Neuer Versuch in 3 s möglich.');
    expect(mustButton('Erneut versuchen').disabled).toBe(true);
    expectNoEnglish();
  });

  it('Settings and History in German; the capture presets too', async () => {
    await mount();
    await emit({ type: 'state', state: makeState({ turns: [makeTurn({ status: 'done', answer: 'Blau.' })] }) });
    await click('Einstellungen');
    expect(root.querySelector('h1')!.textContent).toBe('Einstellungen');
    for (const legend of ['Verbindung', 'Datenschutz', 'Aufnahme', 'Kosten']) expect(root.textContent).toContain(legend);
    expect(mustButton('Einstellungen speichern')).toBeTruthy();
    await click('Zurück');
    await click('Verlauf');
    expect(root.textContent).toContain('Frühere Unterhaltungen');
    expect(mustButton('Alle löschen')).toBeTruthy();
    expectNoEnglish();
    // The presets' names are read when their module loads, as in the panel (the browser's language is fixed by then).
    vi.resetModules();
    const { CAPTURE_PRESETS } = await import('../../lib/panel/capture-presets.ts');
    expect(CAPTURE_PRESETS.map((p) => p.name)).toEqual(['Niedrig', 'Ausgewogen', 'Scharf']);
  });
});
