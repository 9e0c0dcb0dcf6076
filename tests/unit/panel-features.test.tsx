// @vitest-environment jsdom
// @vitest-environment-options {"pretendToBeVisual": true}
/** The panel's privacy, cost and history controls, used by their names against a fake service worker. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { App } from '../../components/App.tsx';
import { createPanelClient, type PanelClient } from '../../lib/panel/client.ts';
import { loadSettings, saveSettings } from '../../lib/storage/settings.ts';
import { recordConsent } from '../../lib/storage/consent.ts';
import { FakeWorker, makeState, makeTurn } from './fake-panel-port.ts';
import type { PanelEvent, PanelState } from '../../lib/protocol/messages.ts';

let worker: FakeWorker;
let client: PanelClient;
let root: HTMLElement;

const settle = () => act(async () => { for (let i = 0; i < 5; i++) await Promise.resolve(); await new Promise((r) => setTimeout(r, 0)); });
/** Buttons by their visible text or their accessible name (icon buttons have only the latter). */
const buttons = (name: string) =>
  Array.from(root.querySelectorAll('button')).filter((b) => b.textContent?.trim() === name || b.getAttribute('aria-label') === name);
function mustButton(name: string): HTMLButtonElement {
  const b = buttons(name)[0];
  if (!b) throw new Error(`no button "${name}" in: ${root.textContent}`);
  return b;
}
const emit = (event: PanelEvent) => act(() => worker.emit(event));
const click = (name: string) => act(() => mustButton(name).click());
const input = (label: string) =>
  Array.from(root.querySelectorAll('label')).find((l) => l.textContent?.startsWith(label))!.querySelector('input, textarea') as HTMLInputElement;
async function fill(label: string, value: string) {
  await act(() => {
    const el = input(label);
    el.value = value;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

function sharingState(over: Partial<PanelState> = {}): PanelState {
  return { ...makeState({ sharing: { status: 'on', source: 'tab', label: 'Bank statement', site: 'example.com' } }), ...over };
}

async function mount(settings: Parameters<typeof saveSettings>[0] = {}) {
  await recordConsent();
  await saveSettings({ proxyUrl: 'http://127.0.0.1:8787', accessToken: 'tok', ...settings });
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
});

describe('hiding regions of the shared picture', () => {
  async function sharingWithThumbnail(state = sharingState()) {
    await mount();
    await emit({ type: 'state', state });
    await emit({ type: 'thumbnail', thumbnail: { dataUrl: 'data:image/jpeg;base64,AAAA', capturedAt: 1 } });
    // The live bar's thumbnail opens the preview, where regions are hidden.
    await click('Preview and hide regions');
  }

  it('a pointer drag over the thumbnail hides that rectangle', async () => {
    await sharingWithThumbnail();
    await click('Hide a region');
    const frame = root.querySelector<HTMLElement>('.redact-frame')!;
    frame.getBoundingClientRect = () => ({ left: 100, top: 50, width: 400, height: 200, right: 500, bottom: 250, x: 100, y: 50, toJSON() {} });
    const pointer = (type: string, x: number, y: number) =>
      act(() => void frame.dispatchEvent(new MouseEvent(type, { clientX: x, clientY: y, bubbles: true, cancelable: true })));
    await pointer('pointerdown', 300, 100); // 50%, 25%
    await pointer('pointermove', 400, 150);
    await pointer('pointerup', 500, 200); // 100%, 75%
    expect(worker.received).toEqual([{ type: 'set-redactions', regions: [{ x: 0.5, y: 0.25, w: 0.5, h: 0.5 }] }]);
  });

  it('the keyboard way: arrows move the box, Shift+arrows resize it, Enter hides it', async () => {
    await sharingWithThumbnail();
    await click('Hide a region');
    const box = root.querySelector<HTMLElement>('[aria-label^="Region to hide"]')!;
    expect(document.activeElement).toBe(box);
    expect(box.getAttribute('aria-label')).toBe('Region to hide: left 38%, top 38%, 25% wide, 25% high');
    const key = (k: string, shiftKey = false) =>
      act(() => void root.querySelector('[aria-label^="Region to hide"]')!.dispatchEvent(new KeyboardEvent('keydown', { key: k, shiftKey, bubbles: true, cancelable: true })));
    for (let i = 0; i < 5; i++) await key('ArrowLeft');
    await key('ArrowDown', true);
    // Five steps of 2% left from 37.5%, one of 2% taller: the label reads out where the box is now.
    expect(root.querySelector('[aria-label^="Region to hide"]')!.getAttribute('aria-label')).toMatch(/^Region to hide: left 2[78]%, top 38%, 25% wide, 27% high$/);
    await key('Enter');
    expect(worker.received).toHaveLength(1);
    const sent = worker.received[0] as { type: string; regions: Array<{ x: number; y: number; w: number; h: number }> };
    expect(sent.type).toBe('set-redactions');
    expect(sent.regions[0]!.x).toBeCloseTo(0.275, 6);
    expect(sent.regions[0]!.h).toBeCloseTo(0.27, 6);
    expect(buttons('Done')).toHaveLength(0);
    expect(buttons('Hide a region')).toHaveLength(1);
  });

  it('lists hidden regions for the site, each with Remove', async () => {
    const a = { x: 0, y: 0, w: 0.5, h: 0.25 };
    const b = { x: 0.5, y: 0.5, w: 0.25, h: 0.25 };
    await sharingWithThumbnail(sharingState({ redactions: [a, b] }));
    const list = root.querySelector('[aria-label="Hidden regions"]')!;
    expect(list.textContent).toContain('on example.com');
    expect(list.textContent).toContain('Region 1: left 0%, top 0%, 50% wide, 25% high');
    // Each is a small numbered picture of where it is, with Remove.
    expect(list.querySelectorAll('.region-thumb img')).toHaveLength(2);
    expect(Array.from(list.querySelectorAll('.region-no')).map((n) => n.textContent)).toEqual(['1', '2']);
    expect(buttons('Remove')).toHaveLength(2);
    expect(buttons('Remove')[0]!.getAttribute('aria-label')).toBe('Remove region 1');
    await act(() => buttons('Remove')[0]!.click());
    expect(worker.received).toEqual([{ type: 'set-redactions', regions: [b] }]);
  });
});

describe('cost you can see', () => {
  it('shows tokens per turn and for the conversation, frames kept and dropped, cost and spend limit', async () => {
    await mount({ inputPricePerMillion: 1, outputPricePerMillion: 10, spendLimit: 0.01 });
    const state = makeState({ turns: [makeTurn({ status: 'done', answer: 'Red.', usage: { promptTokens: 1500, answerTokens: 200 } })] });
    state.session = { ...state.session, usage: { promptTokens: 3000, answerTokens: 300 }, framesKept: 12, framesDropped: 340 };
    await emit({ type: 'state', state });
    const turn = root.querySelector('article')!;
    // 1500 * $1/M + 200 * $10/M = $0.0035, behind a small "Usage" control so it does not outweigh the answer.
    const usage = turn.querySelector<HTMLDetailsElement>('details.usage')!;
    expect(usage.open).toBe(false);
    expect(usage.textContent).toContain('1,500 prompt + 200 answer tokens, about $0.004');
    // One compact chip; at 60% of the spend limit it does not warn yet.
    const chip = root.querySelector<HTMLButtonElement>('button.chip.cost')!;
    expect(chip.textContent).toBe('$0.006');
    expect(chip.className).not.toMatch(/near|over/);
    await act(() => chip.click());
    const meter = root.querySelector('[aria-label="Cost of this conversation"]')!;
    // 3000 * $1/M + 300 * $10/M = $0.006
    expect(meter.textContent).toContain('3,000 prompt + 300 answer tokens, about $0.006');
    expect(meter.textContent).toContain('Frames kept 12, dropped as unchanged 340');
    expect(meter.textContent).toContain('Spend limit: 60% of $0.010 used');
  });

  it('shows what Live costs a minute while it runs, counted from when it started', async () => {
    await mount({ inputPricePerMillion: 1, outputPricePerMillion: 10 });
    const state = sharingState();
    // Two minutes of Live added 60,000 prompt and 3,000 answer tokens to what the conversation had: $0.09, $0.045 a minute.
    state.session = { ...state.session, usage: { promptTokens: 61_000, answerTokens: 3_100 } };
    state.live = { phase: 'open', muted: false, startedAt: Date.now() - 120_000, usageAtStart: { promptTokens: 1000, answerTokens: 100 } };
    await emit({ type: 'state', state });
    expect(root.querySelector('.live-cost')?.textContent).toBe('$0.045 a minute');
    // Just started: no figure yet.
    await emit({ type: 'state', state: { ...state, live: { ...state.live, startedAt: Date.now() - 2000 } } });
    expect(root.querySelector('.live-cost')).toBeNull();
  });

  it('sets the Live (voice) model in Settings', async () => {
    await mount();
    await act(() => root.querySelector<HTMLButtonElement>('button[aria-label="Settings"]')!.click());
    await settle();
    expect(input('Live (voice) model').value).toBe('gemini-live-2.5-flash-preview');
    await fill('Live (voice) model', 'gemini-live-next');
    await act(() => mustButton('Save settings').click());
    await settle();
    expect((await loadSettings()).liveModel).toBe('gemini-live-next');
  });
});

describe('look closer', () => {
  it('sends the next question with a close-up, once; it needs something shared', async () => {
    await mount();
    await emit({ type: 'state', state: makeState() });
    expect(buttons('Look closer')).toHaveLength(0);
    await emit({ type: 'state', state: sharingState() });
    await click('Look closer');
    expect(mustButton('Look closer').getAttribute('aria-pressed')).toBe('true');
    const box = root.querySelector<HTMLTextAreaElement>('#ask-input')!;
    const ask = async (text: string) => {
      await act(() => {
        box.value = text;
        box.dispatchEvent(new Event('input', { bubbles: true }));
      });
      await click('Send');
    };
    await ask('What does the small print say?');
    await ask('And the date?');
    expect(worker.received.filter((c) => c.type !== 'typing')).toEqual([
      { type: 'ask', text: 'What does the small print say?', closer: true },
      { type: 'ask', text: 'And the date?' },
    ]);
    expect(mustButton('Look closer').getAttribute('aria-pressed')).toBe('false');
  });
});

describe('conversations and stored data', () => {
  const openLibrary = () => click('History');

  it('lists past conversations when opened; Open reopens one, Delete asks first', async () => {
    await mount();
    await emit({ type: 'state', state: makeState({ turns: [makeTurn({ status: 'done', answer: 'Red.' })] }) });
    await openLibrary();
    expect(worker.received).toEqual([{ type: 'list-conversations' }]);
    await emit({ type: 'conversations', sessions: [{ id: 'old', title: 'Slides from Monday', createdAt: 0, updatedAt: 0 }] });
    const list = root.querySelector('[aria-label="Past conversations"]')!;
    expect(list.textContent).toContain('Slides from Monday');
    await click('Open');
    expect(worker.received.at(-1)).toEqual({ type: 'open-conversation', id: 'old' });
    // Opening one goes back to the conversation; History lists them again.
    expect(root.querySelector('[role="log"]')).not.toBeNull();
    await openLibrary();
    await click('Delete');
    expect(root.querySelector('[role="alertdialog"]')!.textContent).toContain('Delete “Slides from Monday”?');
    await click('Cancel');
    expect(root.querySelector('[role="alertdialog"]')).toBeNull();
    await click('Delete');
    await click('Delete it');
    expect(worker.received.at(-1)).toEqual({ type: 'delete-conversation', id: 'old' });
  });

  it('"Delete this conversation" and "Delete all" each need a confirmation', async () => {
    await mount();
    await emit({ type: 'state', state: makeState({ turns: [makeTurn({ status: 'done', answer: 'Red.' })] }) });
    await openLibrary();
    worker.received.length = 0;
    await click('Delete this conversation');
    expect(worker.received).toEqual([]);
    await click('Delete it');
    expect(worker.received).toEqual([{ type: 'delete-conversation', id: 's1' }]);
    await click('Delete all');
    const dialog = root.querySelector('[role="alertdialog"]')!;
    expect(dialog.textContent).toContain('hidden regions of every site');
    expect(dialog.textContent).toContain('settings stay');
    expect(worker.received).toHaveLength(1);
    await click('Delete everything');
    expect(worker.received.at(-1)).toEqual({ type: 'delete-all' });
  });
});

describe('settings', () => {
  it('saves the lowest rate, the private sites, prices and the spend limit', async () => {
    await mount();
    await click('Settings');
    await fill('Lowest frames per second', '0.5');
    await fill('Private sites', 'intranet.example\nhttps://Portal.Health.example/login');
    await fill('Prompt price per million tokens', '0.15');
    await fill('Answer price per million tokens', '0.6');
    await fill('Spend limit per conversation', '2');
    await click('Save settings');
    await settle();
    expect(await loadSettings()).toMatchObject({
      minFps: 0.5,
      privateSites: ['intranet.example', 'portal.health.example'],
      inputPricePerMillion: 0.15,
      outputPricePerMillion: 0.6,
      spendLimit: 2,
    });
  });
});
