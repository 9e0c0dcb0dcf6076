// @vitest-environment jsdom
// @vitest-environment-options {"pretendToBeVisual": true}
/**
 * Issue 14's panel against a fake service worker: the Sound and Show where toggles and what they send, the
 * sound note where a share is not heard, a turn's crop, boxes and tool calls (and the frames asked for them),
 * and the timeline (get-timeline, choosing a scene, ask-about-scene).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { App } from '../../components/App.tsx';
import { createPanelClient, type PanelClient } from '../../lib/panel/client.ts';
import { framesWanted, INITIAL_VIEW } from '../../lib/panel/view-model.ts';
import { saveSettings } from '../../lib/storage/settings.ts';
import { recordConsent } from '../../lib/storage/consent.ts';
import { FakeWorker, makeState, makeTurn } from './fake-panel-port.ts';
import type { PanelEvent, PanelState } from '../../lib/protocol/messages.ts';

let worker: FakeWorker;
let client: PanelClient;
let root: HTMLElement;

const settle = () => act(async () => { for (let i = 0; i < 5; i++) await Promise.resolve(); await new Promise((r) => setTimeout(r, 0)); });
const button = (name: string) => {
  const b = Array.from(root.querySelectorAll('button')).find((x) => x.textContent?.trim() === name || x.getAttribute('aria-label') === name);
  if (!b) throw new Error(`no button "${name}" in: ${root.textContent}`);
  return b;
};
const emit = async (event: PanelEvent) => {
  await act(() => worker.emit(event));
  await settle();
};
const click = async (name: string) => {
  await act(() => button(name).click());
  await settle();
};
async function askText(text: string) {
  const box = root.querySelector('textarea')!;
  await act(() => {
    box.value = text;
    box.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await act(() => {
    box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
  });
  await settle();
}
const sent = (type: string) => worker.received.filter((c) => c.type === type);
const PIXEL = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

function sharing(over: Partial<PanelState['sharing']> = {}, turns = [makeTurn({ status: 'done', answer: 'Hi.' })]): PanelState {
  return makeState({ turns, sharing: { status: 'on', source: 'tab', label: 'Talk', site: 'example.com', ...over } });
}

beforeEach(async () => {
  fakeBrowser.reset();
  worker = new FakeWorker();
  root = document.createElement('div');
  document.body.appendChild(root);
  await recordConsent();
  await saveSettings({ proxyUrl: 'http://127.0.0.1:8787', accessToken: 'tok' });
  client = createPanelClient(worker.connect);
  await act(() => render(<App client={client} />, root));
  await settle();
});
afterEach(() => {
  act(() => render(null, root));
  root.remove();
  client.close();
});

describe('the ask box’s extras', () => {
  it('Sound only when the share hears the tab; with Sound and Show where on, the ask says so once', async () => {
    await emit({ type: 'state', state: sharing({ sound: true }) });
    expect(root.querySelector('.livebar')!.textContent).toContain('sound');
    await click('Sound');
    await click('Show where');
    await askText('What did she say about this?');
    expect(sent('ask').at(-1)).toEqual({ type: 'ask', text: 'What did she say about this?', withSound: true, pointBack: true });
    // Toggles are for one question: the next goes without them (the service worker decides from its words).
    await askText('And now?');
    expect(sent('ask').at(-1)).toEqual({ type: 'ask', text: 'And now?' });
  });

  it('a share that is not heard: no Sound toggle, and the reason under the ask box', async () => {
    await emit({ type: 'state', state: sharing({ sound: false, soundNote: 'Firefox cannot capture a tab’s sound.' }) });
    expect(Array.from(root.querySelectorAll('button')).some((b) => b.textContent?.trim() === 'Sound')).toBe(false);
    expect(root.querySelector('.sound-note')!.textContent).toBe('No sound: Firefox cannot capture a tab’s sound.');
    expect(root.querySelector('.livebar')!.textContent).not.toContain('sound');
  });
});

describe('a turn’s media', () => {
  it('asks for the crop and the boxes’ frame once, draws the boxes, lists the places and the tool calls', async () => {
    const turn = makeTurn({
      status: 'done',
      answer: 'Top right.',
      frameId: 'f1',
      region: { area: { x: 0.5, y: 0, w: 0.5, h: 0.5 }, frameId: 'crop1' },
      boxes: [{ label: 'Export', box: { x: 0.8, y: 0.1, w: 0.1, h: 0.05 } }],
      boxesFrameId: 'f1',
      toolCalls: [{ name: 'look_closer', args: { box_2d: [0, 500, 500, 1000] }, ok: true, summary: 'a picture' }, { name: 'read_page', args: {}, ok: false, summary: 'not allowed' }],
      sound: { durationMs: 42_400, bytes: 1000 },
    });
    await emit({ type: 'state', state: sharing({}, [turn]) });
    expect(sent('get-frame').map((c) => (c as { frameId: string }).frameId).sort()).toEqual(['crop1', 'f1']);
    await emit({ type: 'frame', frameId: 'f1', dataUrl: PIXEL, capturedAt: 1, width: 1600, height: 900 });
    await emit({ type: 'frame', frameId: 'crop1', dataUrl: PIXEL, capturedAt: 1, width: 800, height: 450 });
    await emit({ type: 'state', state: sharing({}, [{ ...turn }]) });
    expect(sent('get-frame')).toHaveLength(2);
    expect(root.querySelector('img[alt="The part you pointed at"]')).not.toBeNull();
    const box = root.querySelector<HTMLElement>('.point-box')!;
    expect([box.style.left, box.style.top, box.style.width, box.style.height]).toEqual(['80%', '10%', '10%', '5%']);
    const place = root.querySelector<HTMLButtonElement>('button.place')!;
    expect(place.textContent).toContain('Export');
    await act(() => place.click());
    expect(place.getAttribute('aria-pressed')).toBe('true');
    expect(root.querySelector('.point-box')!.className).toContain('lit');
    const calls = Array.from(root.querySelectorAll('.tool-calls li')).map((li) => li.textContent);
    expect(calls).toEqual(['Looked closer at the top right quarter', 'Could not read the page: not allowed']);
    expect(root.querySelector('.tool-calls ul')!.getAttribute('aria-label')).toBe('What the model did');
    expect(root.textContent).toContain('With 42 s of the tab’s sound');
  });

  it('Retry asks again about the same part, or the same scene', async () => {
    const error = { kind: 'upstream' as const, message: 'Gemini had a problem.' };
    const pointed = makeTurn({ id: 't1', status: 'error', error, region: { area: { x: 0.1, y: 0.2, w: 0.3, h: 0.4 } } });
    await emit({ type: 'state', state: sharing({}, [pointed]) });
    await click('Retry');
    expect(sent('ask').at(-1)).toEqual({ type: 'ask', text: pointed.question, region: { x: 0.1, y: 0.2, w: 0.3, h: 0.4 } });
    const scene = makeTurn({ id: 't2', status: 'error', error, sceneFrameId: 'old' });
    await emit({ type: 'state', state: sharing({}, [scene]) });
    await click('Retry');
    expect(sent('ask-about-scene').at(-1)).toEqual({ type: 'ask-about-scene', frameId: 'old', text: scene.question });
  });

  it('framesWanted leaves out what the view has, and takes the timeline’s pictures only while it is open', () => {
    const state = sharing({}, [makeTurn({ sceneFrameId: 's1', boxes: [], boxesFrameId: 'f0' })]);
    const view = { ...INITIAL_VIEW, state, timeline: [{ frameId: 't1', capturedAt: 1, at: '0:00', timeOfDay: '10:00:00', reason: 'sampled' as const, hasPicture: true }, { frameId: 't2', capturedAt: 2, at: '0:01', timeOfDay: '10:00:01', reason: 'sampled' as const, hasPicture: false }] };
    expect(framesWanted(view, false)).toEqual(['s1']);
    expect(framesWanted(view, true)).toEqual(['s1', 't1']);
    expect(framesWanted({ ...view, frames: { s1: { type: 'frame', frameId: 's1' } } }, true)).toEqual(['t1']);
  });
});

describe('the timeline', () => {
  it('lists the scenes; choosing one sets the ask box to that moment and the question goes as ask-about-scene', async () => {
    await emit({ type: 'state', state: sharing() });
    await click('Timeline');
    expect(sent('get-timeline')).toHaveLength(1);
    await emit({
      type: 'timeline',
      scenes: [
        { frameId: 'a', capturedAt: 1, at: '0:00', timeOfDay: '10:42:00', reason: 'sampled', note: 'a slide', hasPicture: true },
        { frameId: 'b', capturedAt: 2, at: '0:10', timeOfDay: '10:42:10', reason: 'question', hasPicture: false },
      ],
    });
    expect(sent('get-frame').map((c) => (c as { frameId: string }).frameId)).toEqual(['a']);
    const scenes = Array.from(root.querySelectorAll<HTMLButtonElement>('button.scene'));
    expect(scenes.map((b) => b.textContent)).toEqual(['…10:42:00a slide', 'Picture no longer kept10:42:10']);
    await act(() => scenes[0]!.click());
    await settle();
    expect(root.querySelector('.chip.pointed')!.textContent).toContain('About 10:42:00:');
    await askText('What was on the slide?');
    expect(sent('ask-about-scene').at(-1)).toEqual({ type: 'ask-about-scene', frameId: 'a', text: 'What was on the slide?' });
    expect(root.querySelector('.chip.pointed')).toBeNull();
  });
});
