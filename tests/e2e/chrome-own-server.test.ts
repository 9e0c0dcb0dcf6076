/**
 * A model server of one's own, in real Chromium, chosen through Settings as a person would: the first-run card's
 * "Use a model server of your own", the backend radio, the base URL of the stand-in OpenAI-compatible server
 * (tests/support/fake-openai.ts, which also answers Ollama's /api/version and /api/show), Load models, the model
 * select. Then: a coloured tab's picture reaches the server and its answer shows in the panel; Ollama's 403 to an
 * extension shows the OLLAMA_ORIGINS sentence and command; a text-only model gets the tab's text, read by OCR in
 * the extension (tesseract.js, all files bundled), and no picture, and the log says so.
 * With SIGHTLINE_SCREENSHOTS=1 it writes the Settings section's pictures into docs/panel/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchChromium, type ChromeHarness } from '../support/chromium.ts';
import { startColorSite } from '../support/stack.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai.ts';
import { averageColor, colorName } from '../support/images.ts';
import { ask, expectSharing, log } from '../support/panel.ts';
import { axeSource, shootState } from '../support/panel-shots.ts';

let fake: FakeOpenAi;
let site: Awaited<ReturnType<typeof startColorSite>>;
let chrome: ChromeHarness;
let tab: Page;
let panel: Page;
const axe = axeSource();

type Part = { type: string; text?: string; image_url?: { url: string } };
const partsOf = (n: number): Part[] =>
  fake.requests[n]!.body.messages.flatMap((m) => (typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : m.content));

async function openSettings(): Promise<void> {
  await panel.getByRole('button', { name: 'Settings', exact: true }).click();
  await expect.poll(() => panel.getByRole('heading', { name: 'Settings' }).count()).toBe(1);
}

async function chooseModel(model: string, seen: RegExp): Promise<void> {
  await panel.getByRole('combobox', { name: 'Model' }).selectOption(model);
  await expect.poll(() => panel.locator('.vision-known').textContent(), { timeout: 10_000 }).toMatch(seen);
}

async function saveAndGoBack(): Promise<void> {
  await panel.getByRole('button', { name: 'Save settings' }).click();
  await expect.poll(() => panel.getByText('Saved.').count()).toBe(1);
  await panel.getByRole('button', { name: 'Back' }).click();
}

beforeAll(async () => {
  fake = await startFakeOpenAi();
  site = await startColorSite();
  chrome = await launchChromium();
  await chrome.serviceWorker();
  tab = await chrome.context.newPage();
  await tab.goto(`${site.url}?c=rgb(220,0,0)`);
  panel = await chrome.openPanel();
});

afterAll(async () => {
  await chrome?.close();
  await site?.close();
  await fake?.close();
});

describe('a model server of your own, in Chrome', () => {
  it('is chosen in Settings, gets the tab’s picture, and its answer shows', async () => {
    // First run without a proxy: the card offers a server of one's own, which opens Settings.
    await panel.getByRole('button', { name: /Use a model server of your own/ }).click();
    await expect.poll(() => panel.getByRole('heading', { name: 'Settings' }).count()).toBe(1);
    await panel.getByRole('radio', { name: /A model server of your own/ }).check();
    await panel.getByRole('textbox', { name: 'Server base URL' }).fill(`${fake.url}/v1`);
    await panel.getByRole('button', { name: 'Load models' }).click();
    const host = new URL(fake.url).host;
    await expect.poll(() => panel.getByRole('status').filter({ hasText: 'Models found' }).textContent(), { timeout: 10_000 }).toBe(
      `Ollama on ${host}. Models found: 2.`,
    );
    // Ollama's model info decides vision: no checkbox for it.
    await chooseModel('llava:7b', /llava:7b can see pictures/);
    expect(await panel.getByRole('checkbox', { name: 'This model can see pictures' }).count()).toBe(0);
    const findings = await shootState(panel, 'settings-model-server', {}, axe);
    expect(findings).toEqual([]);
    await saveAndGoBack();

    await panel.getByRole('button', { name: 'I understand' }).click();
    await tab.bringToFront();
    await chrome.clickToolbarButton(tab);
    await panel.getByRole('button', { name: 'Share this tab' }).click();
    await expectSharing(panel);
    await ask(panel, 'What colour is the page?');
    await expect.poll(() => fake.requests.length, { timeout: 20_000 }).toBe(1);
    const request = fake.requests[0]!;
    expect(request.body.model).toBe('llava:7b');
    expect(request.headers.origin).toMatch(/^chrome-extension:\/\//);
    const images = partsOf(0).filter((p) => p.type === 'image_url');
    // Without a picture the panel says why (no frame yet, the grab timed out): that sentence is the failure's.
    expect(images.length, `no picture went; the panel said: ${await panel.locator('body').innerText()}`).toBeGreaterThan(0);
    const last = averageColor(images.at(-1)!.image_url!.url.split(',')[1]!);
    expect(colorName(last), JSON.stringify(last)).toBe('red');
    // The stand-in describes what it received; the panel shows that answer.
    await expect.poll(() => log(panel).textContent(), { timeout: 20_000 }).toMatch(/images?: (\w+, )*red\. Question: What colour is the page\?/);
  });

  // Ollama refuses an origin it does not trust with a bare 403 and no CORS headers, its preflight too: without the
  // host permission the browser hides that 403, and the panel tells an answer it may not read from no answer at all.
  it('shows the OLLAMA_ORIGINS fix, with its command, when Ollama refuses the extension', async () => {
    fake.refuse = 'browser';
    try {
      await openSettings();
      await panel.getByRole('button', { name: 'Load models' }).click();
      await expect.poll(() => panel.getByText(/answers, but the browser did not let Sightline read the answer/).count(), { timeout: 10_000 }).toBe(1);
      const fix = panel.getByText(/Ollama refused Sightline \(403\)/);
      await expect.poll(() => fix.count(), { timeout: 10_000 }).toBe(1);
      expect(await panel.locator('.command code').first().textContent()).toBe("OLLAMA_ORIGINS='chrome-extension://*,moz-extension://*' ollama serve");
      expect(await panel.getByRole('button', { name: 'Copy command' }).count()).toBe(2);
      await panel.locator('.server-fix .command').first().evaluate((el) => el.scrollIntoView({ block: 'center' }));
      const findings = await shootState(panel, 'settings-ollama-origins', {}, axe);
      expect(findings).toEqual([]);
    } finally {
      fake.refuse = 'none';
    }
  });

  it('sends a text-only model the tab’s text, read by OCR, and no picture; the log says so', async () => {
    await panel.getByRole('button', { name: 'Load models' }).click();
    await expect.poll(() => panel.getByRole('status').filter({ hasText: 'Models found' }).count(), { timeout: 10_000 }).toBe(1);
    await chooseModel('llama3.2:3b', /llama3\.2:3b cannot see pictures/);
    await saveAndGoBack();

    // Big, known text on the shared tab.
    await tab.evaluate(() => {
      document.documentElement.style.background = '#fff';
      document.body.style.background = '#fff';
      document.body.innerHTML = '<p style="margin:40px;font:40px/1.5 sans-serif;color:#000">INVOICE 4217<br>TOTAL DUE MARCH</p>';
    });
    await tab.waitForTimeout(300);
    const asked = Date.now();
    await ask(panel, 'What does the page say?');
    await expect.poll(() => fake.requests.length, { timeout: 60_000, interval: 20 }).toBe(2);
    // The first read starts tesseract (worker, WebAssembly core, language data, all from the extension).
    console.log(`text-only question to request, OCR included (first read): ${Date.now() - asked} ms`);
    const parts = partsOf(1);
    expect(fake.requests[1]!.body.model).toBe('llama3.2:3b');
    expect(parts.filter((p) => p.type === 'image_url')).toEqual([]);
    const text = parts.map((p) => p.text ?? '').join('\n');
    expect(text).toContain('Text read from the shared screen (OCR)');
    expect(text).toMatch(/INVOICE 4217/);
    expect(text).toMatch(/TOTAL DUE\s+MARCH/);
    await expect.poll(() => log(panel).textContent(), { timeout: 20_000 }).toContain(
      "Sent the screen's text (read by OCR in your browser) instead of the picture: llama3.2:3b cannot see images.",
    );
  });
});
