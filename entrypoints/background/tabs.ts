/** Which tab "this tab" is, and watching the shared tab. */
import { browser } from 'wxt/browser';
import { invokedTabItem } from '@/lib/storage/items.ts';

/** Remember the tab the user clicked the toolbar button on (survives a service-worker restart). */
export function rememberInvokedTab(tabId: number | undefined): void {
  if (tabId !== undefined) void invokedTabItem.setValue(tabId);
}

/**
 * The tab the user invoked Sightline on; failing that the most recently used web page
 * (the panel itself may be a tab when opened directly).
 */
export async function tabToShare(): Promise<number | undefined> {
  const stored = await invokedTabItem.getValue();
  if (stored !== null) {
    const tab = await browser.tabs.get(stored).catch(() => undefined);
    if (tab) return stored;
  }
  const tabs = await browser.tabs.query({});
  const pages = tabs.filter((t) => t.url && /^(https?|file):/.test(t.url));
  pages.sort((a, b) => (b.lastAccessed ?? 0) - (a.lastAccessed ?? 0));
  return pages[0]?.id;
}

/** Address of the page a tab shows (needs the "tabs" permission or the tab's host permission). */
export async function tabUrl(tabId: number): Promise<string | undefined> {
  return (await browser.tabs.get(tabId).catch(() => undefined))?.url;
}

/**
 * Calls back when the given tab closes (onGone) or loads another page (onNavigated, with its address:
 * the session decides whether that stops sharing or, on a private site, pauses it).
 */
export function watchSharedTab(
  sharedTabId: () => number | undefined,
  onGone: (reason: string) => void,
  onNavigated: (url: string) => void,
): void {
  browser.tabs.onRemoved.addListener((tabId) => {
    if (tabId === sharedTabId()) onGone('The shared tab was closed, so sharing stopped.');
  });
  browser.tabs.onUpdated.addListener((tabId, change) => {
    // A new document (not a same-page URL change) may be another site.
    if (tabId === sharedTabId() && change.status === 'loading' && change.url) onNavigated(change.url);
  });
}
