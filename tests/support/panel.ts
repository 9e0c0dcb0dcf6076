/** Driving the side panel as a person would, by its accessible names. */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { installLogWatch, readLogWatch } from './log-watch.ts';

/** Settings as a user types them in, plus the one-time consent. */
export async function configurePanel(panel: Page, proxyUrl: string, token: string): Promise<void> {
  await panel.evaluate(
    async ({ proxyUrl, token }) => {
      const api = (globalThis as unknown as { chrome: { storage: { local: { get(k: string): Promise<Record<string, unknown>>; set(v: object): Promise<void> } } } }).chrome;
      const current = ((await api.storage.local.get('settings')).settings ?? {}) as object;
      await api.storage.local.set({ settings: { ...current, proxyUrl, accessToken: token } });
    },
    { proxyUrl, token },
  );
  await panel.reload();
  const consent = panel.getByRole('button', { name: 'I understand' });
  if (await consent.isVisible().catch(() => false)) await consent.click();
}

export async function ask(panel: Page, question: string): Promise<void> {
  const box = panel.getByRole('textbox', { name: 'Ask about what you see' });
  await box.fill(question);
  await box.press('Enter');
}

export function log(panel: Page) {
  return panel.getByRole('log');
}

/** Records every distinct text the log showed while `until` resolves: proves streaming piece by piece. */
export async function watchLogText(panel: Page, until: () => Promise<unknown>): Promise<string[]> {
  await panel.evaluate(installLogWatch);
  await until();
  return panel.evaluate(readLogWatch);
}

export async function expectSharing(panel: Page): Promise<void> {
  await expect.poll(() => panel.getByRole('region', { name: 'Sharing' }).textContent(), { timeout: 15_000 }).toMatch(/Sharing/);
  await expect.poll(() => panel.getByRole('button', { name: 'Stop sharing' }).count(), { timeout: 15_000 }).toBe(1);
}
