/**
 * Issue 14 through the panel, in real Chromium with the built extension, the real proxy and the stand-in Gemini,
 * driven as a person would: point at a part of the picture and ask (mouse and keyboard), answers that point back
 * (boxes drawn where the model said), the tab's sound with a question, the model calling look_closer and
 * read_page (shown under the answer), and the scene timeline (choosing a scene sends that scene). Each feature
 * is also pictured (docs/panel/ with SIGHTLINE_SCREENSHOTS=1) and checked like every panel state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium, type ChromeHarness } from '../support/chromium.ts';
import { copyChromeBuild } from '../support/build-copy.ts';
import { startStack, TEST_TOKEN, type Stack } from '../support/stack.ts';
import type { RecordedRequest } from '../support/fake-gemini.ts';
import { averageColor, averageColorIn, colorName } from '../support/images.ts';
import { ask, configurePanel, expectSharing, log } from '../support/panel.ts';
import { axeSource, shootState, type Finding } from '../support/panel-shots.ts';
import { writeToneWav } from '../support/wav.ts';
import { startQuarterSite } from '../support/quarter-site.ts';

interface Part { text?: string; inlineData?: { mimeType: string; data: string }; functionCall?: { name: string; args?: unknown }; functionResponse?: { name: string; response: Record<string, unknown> } }
interface Body { contents: Array<{ role: string; parts: Part[] }>; tools?: Array<{ functionDeclarations: Array<{ name: string }> }> }

let stack: Stack;
let site: { url: string; close(): Promise<void> };
let chrome: ChromeHarness;
let build: ReturnType<typeof copyChromeBuild>;
let tab: Page;
let panel: Page;
let sharedAt = 0;
const axe = axeSource();
const findings: Finding[] = [];
const shot = async (state: string) => findings.push(...(await shootState(panel, state, { sharing: true }, axe)));

const generate = (r: RecordedRequest) => r.action === 'streamGenerateContent';
const bodies = () => stack.gemini.requests.filter(generate).map((r) => r.body as Body);
const lastParts = () => bodies().at(-1)!.contents.at(-1)!.parts;
const event = (parts: Part[], finishReason?: string) => ({
  candidates: [{ content: { role: 'model', parts }, ...(finishReason ? { finishReason } : {}), index: 0 }],
  usageMetadata: { promptTokenCount: 300, candidatesTokenCount: 5, totalTokenCount: 305 },
});
const turnOf = (question: string) => panel.getByRole('article', { name: `Question: ${question}` });

/** The colour of the drawn frame's own pixels under a point of the page (fractions of the pictured frame). */
function pixelOfFrame(x: number, y: number): Promise<[number, number, number]> {
  return panel.evaluate(
    async ({ x, y }) => {
      const img = Array.from(document.querySelectorAll<HTMLImageElement>('.places-frame img')).at(-1)!;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.naturalWidth;
      c.height = img.naturalHeight;
      const g = c.getContext('2d')!;
      g.drawImage(img, 0, 0);
      const d = g.getImageData(Math.floor(x * c.width), Math.floor(y * c.height), 1, 1).data;
      return [d[0]!, d[1]!, d[2]!] as [number, number, number];
    },
    { x, y },
  );
}

/** The shared tab's window at 1920x1080, larger than the question's frame (1536 px), as a real screen is. */
async function bigWindow(page: Page): Promise<void> {
  const { targetInfos } = (await chrome.browserCdp('Target.getTargets')) as { targetInfos: Array<{ targetId: string; type: string; url: string }> };
  const target = targetInfos.find((t) => t.type === 'page' && t.url === page.url())!;
  const { windowId } = (await chrome.browserCdp('Browser.getWindowForTarget', { targetId: target.targetId })) as { windowId: number };
  await chrome.browserCdp('Browser.setWindowBounds', { windowId, bounds: { width: 1920, height: 1080 } });
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sightline-tone-'));
  writeToneWav(join(dir, 'tone.wav'), { ms: 4000, hz: 440, amplitude: 0.6 });
  site = await startQuarterSite(readFileSync(join(dir, 'tone.wav')));
  stack = await startStack();
  build = copyChromeBuild();
  // The person allowed reading pages (the optional "scripting" permission): a browser prompt a test cannot click.
  const manifestPath = join(build.dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { permissions?: string[]; optional_permissions?: string[] };
  manifest.permissions = [...(manifest.permissions ?? []), 'scripting'];
  manifest.optional_permissions = (manifest.optional_permissions ?? []).filter((p) => p !== 'scripting');
  writeFileSync(manifestPath, JSON.stringify(manifest));
  chrome = await launchChromium({ extensionDir: build.dir });
  await chrome.serviceWorker();
  tab = await chrome.context.newPage();
  await tab.goto(site.url);
  await bigWindow(tab);
  panel = await chrome.openPanel();
  await panel.setViewportSize({ width: 400, height: 800 });
  await configurePanel(panel, stack.proxy.url, TEST_TOKEN);
});

afterAll(async () => {
  await chrome?.close();
  build?.remove();
  await site?.close();
  await stack?.close();
});

describe('point, hear, look closer, timeline: through the panel', () => {
  it('point and ask: a box dragged on the picture sends a crop of that part, and the log shows it', async () => {
    await tab.bringToFront();
    await chrome.clickToolbarButton(tab);
    await panel.getByRole('button', { name: 'Share this tab' }).click();
    await expectSharing(panel);
    sharedAt = Date.now();
    await expect.poll(() => panel.getByRole('img', { name: 'What Sightline sees' }).count(), { timeout: 15_000 }).toBe(1);
    await panel.getByRole('button', { name: 'Point', exact: true }).click();
    await expect.poll(() => panel.getByRole('heading', { name: 'Point at a part' }).count()).toBe(1);
    const frame = (await panel.locator('.redact-frame').boundingBox())!;
    await panel.mouse.move(frame.x + frame.width * 0.58, frame.y + frame.height * 0.08);
    await panel.mouse.down();
    await panel.mouse.move(frame.x + frame.width * 0.75, frame.y + frame.height * 0.25, { steps: 4 });
    await panel.mouse.move(frame.x + frame.width * 0.92, frame.y + frame.height * 0.42, { steps: 4 });
    await panel.mouse.up();
    await panel.getByRole('button', { name: 'Ask about this' }).click();
    await expect.poll(() => panel.locator('.chip.pointed .chip-text').textContent()).toMatch(/^Pointed: left 5[7-9]%, top [6-9]%/);
    // Focus is back in the ask box, ready for the question.
    expect(await panel.evaluate(() => document.activeElement?.id)).toBe('ask-input');

    // A plausible answer for the picture (the stand-in's debug echo would be the answer otherwise); the checks
    // below are on what reached the stand-in, not on these words.
    stack.gemini.respond((req) => ({ text: generate(req) ? ['That corner is **green**: a plain green square, with no text or controls in it.'] : ['ok'] }));
    const before = bodies().length;
    await ask(panel, 'What is in this corner?');
    await expect.poll(() => bodies().length, { timeout: 20_000 }).toBe(before + 1);
    const parts = lastParts();
    const at = parts.findIndex((p) => p.text?.startsWith('[The region the person pointed at'));
    expect(at, JSON.stringify(parts.map((p) => p.text ?? p.inlineData?.mimeType))).toBeGreaterThanOrEqual(0);
    const crop = parts[at + 1]!.inlineData!.data;
    const whole = parts.slice(at + 2).find((p) => p.inlineData?.mimeType === 'image/jpeg')!.inlineData!.data;
    expect(colorName(averageColor(crop)), JSON.stringify(averageColor(crop))).toBe('green');
    expect(colorName(averageColorIn(whole, { x: 0.05, y: 0.05, w: 0.4, h: 0.4 }))).toBe('red');
    // The chip is spent; the log shows the crop with the question.
    await expect.poll(() => panel.locator('.chip.pointed').count()).toBe(0);
    await expect.poll(() => turnOf('What is in this corner?').getByRole('img', { name: 'The part you pointed at' }).count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => log(panel).textContent(), { timeout: 20_000 }).toContain('a plain green square');
    await shot('point-ask');
    stack.gemini.reset();
  });

  it('point with the keyboard: Point, arrow keys, Enter; the chip can be taken back', async () => {
    await panel.getByRole('button', { name: 'Point', exact: true }).click();
    await expect.poll(() => panel.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '')).toMatch(/^Part to ask about: left 38%/);
    for (let i = 0; i < 5; i++) await panel.keyboard.press('ArrowRight');
    await panel.keyboard.press('Shift+ArrowDown');
    await shot('point-drawing');
    await panel.keyboard.press('Enter');
    await expect.poll(() => panel.locator('.chip.pointed .chip-text').textContent()).toMatch(/^Pointed: left 4[78]%, top 38%, 25% wide, 2[67]% high/);
    await panel.getByRole('button', { name: 'Forget the part you pointed at' }).click();
    await expect.poll(() => panel.locator('.chip.pointed').count()).toBe(0);
  });

  it('answers that point back: boxes are drawn on the question’s frame where the model put them; a label lights its box', async () => {
    stack.gemini.respond((req) =>
      generate(req)
        ? {
            replay: {
              events: [
                event([{ text: 'The green part is at the top right; the blue one at the bottom left.\nSCENE: four coloured quarters' }]),
                event([
                  { functionCall: { name: 'point_at', args: { label: 'Green quarter', box_2d: [0, 500, 500, 1000] } } },
                  { functionCall: { name: 'point_at', args: { label: 'Blue quarter', box_2d: [500, 0, 1000, 500] } } },
                ], 'STOP'),
              ],
            },
          }
        : { text: ['ok'] },
    );
    await panel.getByRole('button', { name: 'Show where' }).click();
    expect(await panel.getByRole('button', { name: 'Show where' }).getAttribute('aria-pressed')).toBe('true');
    await ask(panel, 'Which parts are green and blue?');
    await expect.poll(() => turnOf('Which parts are green and blue?').locator('.point-box').count(), { timeout: 20_000 }).toBe(2);
    const body = bodies().at(-1)!;
    expect(body.tools?.[0]?.functionDeclarations.map((d) => d.name)).toContain('point_at');
    const turn = turnOf('Which parts are green and blue?');
    await expect.poll(() => turn.locator('.places-frame img').evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth > 0), { timeout: 10_000 }).toBe(true);
    const img = (await turn.locator('.places-frame img').boundingBox())!;
    const green = (await turn.locator('.point-box[data-box="1"]').boundingBox())!;
    const blue = (await turn.locator('.point-box[data-box="2"]').boundingBox())!;
    const rel = (b: typeof img) => ({ x: (b.x - img.x) / img.width, y: (b.y - img.y) / img.height, w: b.width / img.width, h: b.height / img.height });
    for (const [got, want] of [[rel(green), { x: 0.5, y: 0, w: 0.5, h: 0.5 }], [rel(blue), { x: 0, y: 0.5, w: 0.5, h: 0.5 }]] as const) {
      for (const k of ['x', 'y', 'w', 'h'] as const) expect(Math.abs(got[k] - want[k]), `${k}: ${JSON.stringify(got)}`).toBeLessThan(0.02);
    }
    // Under each box, the frame's own pixels are the colour the label names.
    const [r1, g1, b1] = await pixelOfFrame(0.75, 0.25);
    expect(colorName({ r: r1, g: g1, b: b1 })).toBe('green');
    const [r2, g2, b2] = await pixelOfFrame(0.25, 0.75);
    expect(colorName({ r: r2, g: g2, b: b2 })).toBe('blue');
    // Labels are buttons; choosing one highlights its box (keyboard: Enter on the focused label).
    const label = turn.getByRole('button', { name: /^Green quarter/ });
    await label.focus();
    await panel.keyboard.press('Enter');
    expect(await label.getAttribute('aria-pressed')).toBe('true');
    expect(await turn.locator('.point-box[data-box="1"]').getAttribute('class')).toContain('lit');
    expect(await turn.locator('.point-box[data-box="2"]').getAttribute('class')).not.toContain('lit');
    await shot('point-back');
    stack.gemini.reset();
  });

  it('hear the tab: with "Sound" on, the question carries the tab’s sound since sharing began, at most a minute', async () => {
    await tab.bringToFront();
    await tab.mouse.click(5, 5);
    await tab.evaluate(() => (document.getElementById('tone') as HTMLAudioElement).play());
    const toneAt = Date.now();
    await tab.waitForTimeout(3000);
    await panel.bringToFront();
    await expect.poll(() => panel.getByRole('region', { name: 'Sharing' }).textContent()).toContain('sound');
    await panel.getByRole('button', { name: 'Sound' }).click();
    stack.gemini.respond((req) => ({ text: generate(req) ? ['A steady beep: one clear tone, about an A (440 Hz), with no speech or music.'] : ['ok'] }));
    const before = bodies().length;
    const askedAt = Date.now();
    await ask(panel, 'What do you hear?');
    await expect.poll(() => bodies().length, { timeout: 20_000 }).toBe(before + 1);
    const audio = lastParts().find((p) => p.inlineData?.mimeType === 'audio/wav');
    expect(audio, JSON.stringify(lastParts().map((p) => p.text ?? p.inlineData?.mimeType))).toBeDefined();
    const wav = Buffer.from(audio!.inlineData!.data, 'base64');
    const seconds = wav.readUInt32LE(40) / 2 / wav.readUInt32LE(24);
    // Everything heard since the share began (the recorder starts with it), never more than the minute kept.
    // At least the tone (it played the last seconds before the question), at most what was heard since the share
    // began (the recorder starts with it; its first and last second may be cut to whole chunks), never over a minute.
    const sinceShare = (askedAt - sharedAt) / 1000;
    const toneSeconds = (askedAt - toneAt) / 1000;
    const why = `${seconds.toFixed(2)} s sent; shared ${sinceShare.toFixed(1)} s ago, tone for ${toneSeconds.toFixed(1)} s`;
    console.log(`[chrome-point] sound: ${why}, ${wav.length} bytes of WAV`);
    expect(seconds, why).toBeGreaterThan(toneSeconds - 1);
    expect(seconds, why).toBeGreaterThan(sinceShare - 4);
    expect(seconds, why).toBeLessThanOrEqual(Math.min(60, sinceShare + 1));
    // The last seconds are the tone, not silence.
    const rate = wav.readUInt32LE(24);
    let energy = 0;
    const from = Math.max(44, wav.length - rate * 2 * 2);
    for (let i = from; i + 1 < wav.length; i += 2) energy += wav.readInt16LE(i) ** 2;
    expect(Math.sqrt(energy / ((wav.length - from) / 2))).toBeGreaterThan(300);
    await expect.poll(() => turnOf('What do you hear?').textContent(), { timeout: 10_000 }).toMatch(/With \d+ s of the tab’s sound/);
    await expect.poll(() => turnOf('What do you hear?').textContent(), { timeout: 20_000 }).toContain('A steady beep');
    await tab.evaluate(() => (document.getElementById('tone') as HTMLAudioElement).pause());
    await shot('sound');
    stack.gemini.reset();
  });

  it('the model looks closer (a larger picture of the part) and reads the page; the calls show under the answer', async () => {
    let round = 0;
    stack.gemini.respond((req) => {
      if (!generate(req)) return { text: ['ok'] };
      round += 1;
      if (round === 1) return { replay: { events: [event([{ functionCall: { name: 'look_closer', args: { box_2d: [500, 500, 1000, 1000] } } }], 'STOP')] } };
      if (round === 2) return { replay: { events: [event([{ functionCall: { name: 'read_page', args: {} } }], 'STOP')] } };
      return { text: ['The small print says the password is marmalade.'] };
    });
    const before = bodies().length;
    await ask(panel, 'What does the small print say?');
    await expect.poll(() => bodies().length, { timeout: 30_000 }).toBe(before + 3);
    const [first, second, third] = bodies().slice(before);
    // The whole frames are the largest pictures of the request (an unchanged frame of now is not sent again).
    const question = first!.contents.flatMap((c) => c.parts).filter((p) => p.inlineData?.mimeType === 'image/jpeg').map((p) => averageColor(p.inlineData!.data)).sort((a, b) => b.width - a.width)[0]!;
    const closer = second!.contents.at(-1)!.parts;
    expect(closer[0]!.functionResponse?.name).toBe('look_closer');
    const image = closer.find((p) => p.inlineData);
    expect(image, JSON.stringify(closer).slice(0, 600)).toBeDefined();
    const picture = averageColor(image!.inlineData!.data);
    // The bottom-right quarter alone, filling a picture of its own at the capture's full resolution: at least as
    // many pixels as that quarter had in the question's frame (itself up to 1536 px, the capture's size here), at
    // the sharper quality of "Look closer".
    console.log(`[chrome-point] look_closer: question frame ${question.width}x${question.height}, quarter crop ${picture.width}x${picture.height}`);
    expect(picture.width).toBeGreaterThanOrEqual(Math.floor(question.width / 2) - 2);
    expect(picture.height).toBeGreaterThanOrEqual(Math.floor(question.height / 2) - 2);
    expect(colorName(picture), JSON.stringify(picture)).toBe('black');
    const read = third!.contents.at(-1)!.parts[0]!.functionResponse!;
    expect(read.name).toBe('read_page');
    expect(JSON.stringify(read.response)).toContain('the password is marmalade');
    const turn = turnOf('What does the small print say?');
    await expect.poll(() => turn.locator('.tool-calls').textContent(), { timeout: 10_000 }).toMatch(/Looked closer at the bottom right quarter \(a \d+×\d+ picture\).*Read the page/);
    await expect.poll(() => turn.textContent()).toContain('marmalade.');
    await shot('tools');
    stack.gemini.reset();
  });

  it('the timeline: the kept scenes with their times; choosing one asks about that moment and sends that scene', async () => {
    await tab.evaluate(() => (window as unknown as { allBlue(): void }).allBlue());
    await tab.waitForTimeout(1500);
    await panel.getByRole('button', { name: 'Timeline' }).click();
    const strip = panel.getByRole('list', { name: 'Scenes' });
    await expect.poll(() => strip.getByRole('button').count(), { timeout: 10_000 }).toBeGreaterThan(1);
    await expect.poll(() => strip.locator('img').count(), { timeout: 10_000 }).toBeGreaterThan(1);
    // Keyboard: the arrow keys move between scenes.
    await strip.getByRole('button').first().focus();
    await panel.keyboard.press('ArrowRight');
    expect(await panel.evaluate(() => Array.from(document.querySelectorAll('button.scene')).indexOf(document.activeElement!))).toBe(1);
    await panel.keyboard.press('Home');
    await shot('timeline');
    const first = strip.getByRole('button').first();
    const time = (await first.locator('.scene-time').textContent())!;
    await panel.keyboard.press('Enter');
    await expect.poll(() => panel.locator('.chip.pointed .chip-text').textContent()).toBe(`About ${time}:`);
    const before = bodies().length;
    await ask(panel, 'What was on the screen then?');
    await expect.poll(() => bodies().length, { timeout: 20_000 }).toBe(before + 1);
    const parts = lastParts();
    const described = JSON.stringify(parts.map((p) => p.text?.slice(0, 120) ?? p.inlineData?.mimeType));
    // The chosen scene goes, labelled as the moment asked about: the four quarters, although the tab is all blue now.
    const chosen = parts.findIndex((p) => /^\[The person chose the scene captured at/.test(p.text ?? ''));
    expect(chosen, described).toBeGreaterThanOrEqual(0);
    const scene = parts[chosen + 1]!.inlineData!.data;
    expect(colorName(averageColorIn(scene, { x: 0.05, y: 0.05, w: 0.4, h: 0.4 })), described).toBe('red');
    expect(colorName(averageColorIn(scene, { x: 0.55, y: 0.05, w: 0.4, h: 0.4 })), described).toBe('green');
    await expect.poll(() => turnOf('What was on the screen then?').textContent(), { timeout: 10_000 }).toContain(`About the scene at ${time}`);
  });

  it('every picture above is free of layout and accessibility findings', () => {
    expect(findings).toEqual([]);
  });
});
