/**
 * read_page for the model (issue 14, item 4): the shared tab's title and rendered text through
 * `scripting.executeScript` (https://developer.chrome.com/docs/extensions/reference/api/scripting;
 * https://developer.mozilla.org/en-US/docs/Mozilla/Add-ons/WebExtensions/API/scripting/executeScript). "scripting" is an
 * optional permission, asked for from the panel the first time (lib/panel/read-page-permission.ts); the tab's
 * host access comes from activeTab (Chrome: the toolbar click on that tab) or <all_urls> (Firefox). The
 * conversation has already refused private sites, paused shares and pages with hidden regions.
 */
import { browser, type Browser } from 'wxt/browser';
import type { ReadPageResult } from '@/lib/conversation/manager.ts';
import { MAX_PAGE_CHARS } from '@/lib/core/tools/dispatch.ts';

const READ_PAGES: Browser.permissions.Permissions = { permissions: ['scripting'] };

const NOT_ALLOWED =
  'The person has not allowed Sightline to read pages yet (the panel now offers it). Answer from the pictures meanwhile, or use look_closer.';

/** Runs in the page: serialised by the browser, so it uses nothing from outside itself. */
function pageText(max: number): { title: string; text: string } {
  return { title: document.title, text: (document.body?.innerText ?? '').slice(0, max) };
}

/** The tab's title and text (a character over MAX_PAGE_CHARS, so the cut is seen), or why not. Never rejects. */
export async function readPage(tabId: number): Promise<ReadPageResult> {
  const allowed = await browser.permissions.contains(READ_PAGES).catch(() => false);
  if (!allowed || !browser.scripting) return { ok: false, permission: true, message: NOT_ALLOWED };
  try {
    const [first] = await browser.scripting.executeScript({ target: { tabId }, func: pageText, args: [MAX_PAGE_CHARS + 1] });
    const res = first?.result as { title?: unknown; text?: unknown } | undefined;
    if (typeof res?.text !== 'string') return { ok: false, message: 'The page gave no text (it may still be loading, or be a PDF or a browser page).' };
    return { ok: true, title: typeof res.title === 'string' ? res.title : '', text: res.text };
  } catch (err) {
    return { ok: false, message: `The browser did not let Sightline read this page (${(err as Error).message || String(err)}).` };
  }
}
