/**
 * Driving the side panel in Firefox (puppeteer over BiDi) by the same accessible names as in Chrome.
 * Puppeteer's ARIA queries need the DevTools protocol, so names are resolved in the page: aria-label,
 * else the element's <label>, else its text.
 */
import type { ElementHandle, Page } from 'puppeteer-core';
import { waitFor } from './firefox.ts';
import { installLogWatch, readLogWatch } from './log-watch.ts';

/** The first element matching `selector` whose accessible name is `name`. */
export async function byName(page: Page, selector: string, name: string): Promise<ElementHandle<Element> | undefined> {
  const handle = await page.evaluateHandle(
    (selector, name) =>
      [...document.querySelectorAll(selector)].find((el) => {
        const labels = (el as HTMLTextAreaElement).labels;
        const label = el.getAttribute('aria-label') ?? (labels?.[0]?.textContent || el.textContent) ?? '';
        return label.replace(/\s+/g, ' ').trim() === name;
      }) ?? null,
    selector,
    name,
  );
  const el = handle.asElement() as ElementHandle<Element> | null;
  if (!el) await handle.dispose();
  return el ?? undefined;
}

export async function clickButton(page: Page, name: string, timeoutMs = 15_000): Promise<void> {
  let button: ElementHandle<Element> | undefined;
  await waitFor(async () => {
    button = await byName(page, 'button', name);
    return Boolean(button) && (await button!.evaluate((b) => !(b as HTMLButtonElement).disabled));
  }, timeoutMs, `find the enabled button "${name}"`);
  // A real click (BiDi input): user activation, pointerdown, everything a person's click gives.
  await button!.click();
  await button!.dispose();
}

export async function countButtons(page: Page, name: string): Promise<number> {
  return page.evaluate(
    (name) =>
      [...document.querySelectorAll('button')].filter((b) => (b.getAttribute('aria-label') ?? b.textContent ?? '').replace(/\s+/g, ' ').trim() === name).length,
    name,
  );
}

export function logText(page: Page): Promise<string> {
  return page.evaluate(() => document.querySelector('[role=log]')?.textContent ?? '');
}

export function alertText(page: Page): Promise<string> {
  return page.evaluate(() => [...document.querySelectorAll('[role=alert]')].map((e) => e.textContent).join('\n'));
}

/** Reloads an extension page (navigation promises never settle for moz-extension:// over BiDi). */
export async function reloadExtensionPage(page: Page): Promise<void> {
  const before = await page.evaluate(() => performance.timeOrigin);
  await page.evaluate(() => setTimeout(() => location.reload(), 0));
  await waitFor(
    async () => (await page.evaluate(() => performance.timeOrigin !== 0 && document.readyState === 'complete' ? performance.timeOrigin : 0).catch(() => 0)) > before,
    15_000,
    'reload the panel',
  );
}

/** Settings as a user types them in, plus the one-time consent. */
export async function configureFirefoxPanel(panel: Page, proxyUrl: string, token: string): Promise<void> {
  await panel.evaluate(
    async (proxyUrl, token) => {
      const api = (globalThis as unknown as { browser: { storage: { local: { get(k: string): Promise<Record<string, unknown>>; set(v: object): Promise<void> } } } }).browser;
      const current = ((await api.storage.local.get('settings')).settings ?? {}) as object;
      await api.storage.local.set({ settings: { ...current, proxyUrl, accessToken: token } });
    },
    proxyUrl,
    token,
  );
  await reloadExtensionPage(panel);
  await waitFor(async () => Boolean(await byName(panel, 'button', 'I understand')) || (await countButtons(panel, 'Share this tab')) > 0, 15_000, 'show the panel');
  if (await byName(panel, 'button', 'I understand')) await clickButton(panel, 'I understand');
}

export async function askFirefox(panel: Page, question: string): Promise<void> {
  const box = await byName(panel, 'textarea', 'Ask about what you see');
  if (!box) throw new Error('no "Ask about what you see" text box');
  await box.click();
  await box.type(question);
  await box.press('Enter');
  await box.dispose();
}

/** Records every distinct text the log showed while `until` resolves: proves streaming piece by piece. */
export async function watchLog(panel: Page, until: () => Promise<unknown>): Promise<string[]> {
  await panel.evaluate(installLogWatch);
  await until();
  return panel.evaluate(readLogWatch);
}

export async function expectSharingFirefox(panel: Page): Promise<void> {
  await waitFor(async () => (await countButtons(panel, 'Stop sharing')) === 1, 15_000, 'show "Stop sharing"');
}
