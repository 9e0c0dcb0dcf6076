/**
 * Every state of the real panel, in real Chromium with the built extension, the real proxy and the stand-in
 * Gemini: first-run setup, the notice, not sharing, sharing, waiting, streaming, a long answer, scrolled up,
 * paused, each kind of error, the preview and region editor, History, Settings, Cost, reopened, and sharing
 * stopped by the browser. Each state is taken at 400x800 and 320x640, light and dark (pictures in
 * docs/panel/ with SIGHTLINE_SCREENSHOTS=1), and checked: Stop sharing wholly visible while sharing, answers
 * at least 14 px and the largest text in the log, no sideways overflow, axe-core WCAG 2.1 A/AA.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchChromium, type ChromeHarness } from '../support/chromium.ts';
import { copyChromeBuild } from '../support/build-copy.ts';
import { startStack, TEST_TOKEN, type Stack } from '../support/stack.ts';
import type { FakeReply } from '../support/fake-gemini.ts';
import { geminiFixture } from '../support/gemini-fixtures.ts';
import { ask, expectSharing } from '../support/panel.ts';
import { axeSource, shootState, startSlideSite, whyNotVisible, type Finding, type ShotOptions } from '../support/panel-shots.ts';

let stack: Stack;
let site: Awaited<ReturnType<typeof startSlideSite>>;
let chrome: ChromeHarness;
let build: ReturnType<typeof copyChromeBuild>;
let tab: Page;
let panel: Page;
const axe = axeSource();
const findings: Finding[] = [];
const shot = async (state: string, opts: ShotOptions = {}) => findings.push(...(await shootState(panel, state, opts, axe)));
const sharing = { sharing: true };

const FIRST_ANSWER = [
  'The slide is titled **Q3 results**. ',
  'On the left, a bar chart with four bars; the third is red and the lowest. ',
  'On the right, four points:\n\n- Revenue up 18% on Q2\n- Europe down 6% (supply delays)\n',
  '- Asia doubled since launch\n- Hiring: 12 engineers',
];
const LONG_ANSWER = [
  'Here is what the chart shows, bar by bar.\n\n',
  '1. **Q1** sits at about 45% of the scale: the starting point.\n',
  '2. **Q2** climbs to about 70%, the first clear rise.\n',
  '3. **Q3** drops to about 30%; it is the red bar, which the slide uses for the quarter with supply delays.\n',
  '4. **Q4 (forecast)** is the tallest, near 90%.\n\n',
  'The bullet points explain the dip: Europe fell 6% while Asia doubled, so the total still rose 18% on Q2. ',
  'If you present this, say first why the red bar is low, then point at the forecast. ',
  'A reader will look at the red bar before anything else, because colour draws the eye. ',
  'The hiring line is unrelated to the chart; you could move it to its own slide.\n\n',
  'In short: a dip in Q3 from one region, and growth everywhere else.',
];
const slowly = (text: string[], firstDelayMs: number, delayMs: number): FakeReply => ({ text, firstDelayMs, delayMs });
const turnOf = (question: string) => panel.getByRole('article', { name: `Question: ${question}` });

async function setStored(patch: Record<string, unknown>): Promise<void> {
  await panel.evaluate(async (patch) => {
    const api = (globalThis as unknown as { chrome: { storage: { local: { get(k: string): Promise<Record<string, unknown>>; set(v: object): Promise<void> } } } }).chrome;
    const current = ((await api.storage.local.get('settings')).settings ?? {}) as object;
    await api.storage.local.set({ settings: { ...current, ...patch } });
  }, patch);
}

/** Where the newest question sits in the log's view: 'in view', or why not. */
async function newestQuestionPlace(): Promise<string> {
  return panel.evaluate(() => {
    const log = document.querySelector('[role=log]')!.getBoundingClientRect();
    const q = Array.from(document.querySelectorAll('[role=log] .question')).at(-1)?.getBoundingClientRect();
    if (!q) return 'no question';
    return q.top >= log.top - 1 && q.bottom <= log.bottom + 1 ? 'in view' : `question at ${q.top}..${q.bottom}, log ${log.top}..${log.bottom}`;
  });
}

/** The shared tab's window at a laptop's shape, so the pictures of it look like real use. */
async function landscape(page: Page): Promise<void> {
  const { targetInfos } = (await chrome.browserCdp('Target.getTargets')) as { targetInfos: Array<{ targetId: string; type: string; url: string }> };
  const target = targetInfos.find((t) => t.type === 'page' && t.url === page.url());
  if (!target) return;
  const { windowId } = (await chrome.browserCdp('Browser.getWindowForTarget', { targetId: target.targetId })) as { windowId: number };
  await chrome.browserCdp('Browser.setWindowBounds', { windowId, bounds: { width: 1280, height: 800 } });
}

/**
 * Closes the panel and opens it again in a window of `size`, as the real side panel opens at its own
 * width (a resize after opening is a different case: the view then keeps the place it had).
 */
async function reopen(size: { width: number; height: number }): Promise<void> {
  await panel.close();
  const url = `chrome-extension://${chrome.extensionId}/sidepanel.html`;
  const opened = chrome.context.waitForEvent('page', { predicate: (p) => p.url() === url, timeout: 15_000 });
  await chrome.browserCdp('Target.createTarget', { url, newWindow: true, ...size });
  panel = await opened;
  await expect.poll(() => panel.locator('[role=log] article').count(), { timeout: 10_000 }).toBeGreaterThan(1);
  // The window's own frame takes some of the height; the width is the panel's.
  expect(await panel.evaluate(() => innerWidth)).toBe(size.width);
}

beforeAll(async () => {
  stack = await startStack();
  site = await startSlideSite();
  build = copyChromeBuild();
  chrome = await launchChromium({ extensionDir: build.dir });
  await chrome.serviceWorker();
  tab = await chrome.context.newPage();
  await tab.goto(site.url);
  await landscape(tab);
  panel = await chrome.openPanel();
  await panel.setViewportSize({ width: 400, height: 800 });
});

afterAll(async () => {
  await chrome?.close();
  build?.remove();
  await site?.close();
  await stack?.close();
});

describe('the panel, state by state, at 400x800 and 320x640, light and dark', () => {
  it('first run: one setup card, whose Test connection reaches the real proxy; then the notice', async () => {
    await expect.poll(() => panel.getByRole('heading', { name: 'Connect Sightline' }).count(), { timeout: 10_000 }).toBe(1);
    await panel.getByLabel('Proxy URL').fill(stack.proxy.url);
    await panel.getByLabel('Access token').fill(TEST_TOKEN);
    await panel.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => panel.locator('.test-connection [role=status]').textContent(), { timeout: 15_000 }).toMatch(/^Connected/);
    await shot('setup');
    await panel.getByRole('button', { name: 'Continue' }).click();
    await expect.poll(() => panel.getByRole('button', { name: 'I understand' }).count()).toBe(1);
    expect(await panel.getByRole('textbox', { name: 'Ask about what you see' }).isDisabled()).toBe(true);
    await shot('notice');
    await panel.getByRole('button', { name: 'I understand' }).click();
    await expect.poll(() => panel.getByRole('button', { name: 'Share this tab' }).isEnabled()).toBe(true);
    await shot('not-sharing');
  });

  it('sharing a tab: the live bar, the context chip and suggested questions', async () => {
    await tab.bringToFront();
    await chrome.clickToolbarButton(tab);
    await panel.getByRole('button', { name: 'Share this tab' }).click();
    await expectSharing(panel);
    await expect
      .poll(() => panel.getByRole('img', { name: 'What Sightline sees' }).count(), { timeout: 15_000 })
      .toBe(1)
      .catch(async (err: Error) => {
        // What the panel said instead (a notice, "no frame yet"), for the next time this is seen (vitest.config.ts).
        throw new Error(`${err.message}\nNo thumbnail 15 s after sharing; the panel read: ${(await panel.locator('body').innerText()).slice(0, 800)}`);
      });
    await expect.poll(() => panel.locator('.chip.live').textContent()).toContain('Tab: Q3 results');
    await shot('sharing', sharing);
  });

  it('a question and its answer; then a long one: the question stays at the top while the answer grows', async () => {
    stack.gemini.respond(() => slowly(FIRST_ANSWER, 300, 150));
    await panel.getByRole('button', { name: 'What is on the screen right now?' }).click();
    await expect.poll(() => turnOf('What is on the screen right now?').getAttribute('class'), { timeout: 20_000 }).toMatch(/\bdone\b/);
    await shot('answered', sharing);

    stack.gemini.respond(() => slowly(LONG_ANSWER, 8000, 1500));
    await ask(panel, 'Walk me through the chart, bar by bar.');
    const turn = turnOf('Walk me through the chart, bar by bar.');
    await expect.poll(() => turn.locator('.typing').count()).toBe(1);
    // Send became Stop, in the same place.
    await expect.poll(() => panel.getByRole('button', { name: 'Stop answering' }).count()).toBe(1);
    expect(await panel.getByRole('button', { name: 'Send' }).count()).toBe(0);
    const questionAtTop = async () => {
      const [log, q] = await Promise.all([panel.getByRole('log').boundingBox(), turn.locator('.question').boundingBox()]);
      return Math.abs(q!.y - log!.y);
    };
    expect(await questionAtTop()).toBeLessThan(30);
    await shot('waiting', { ...sharing, check: async () => ((await questionAtTop()) < 30 ? [] : ['the new question is not at the top']) });
    await expect.poll(() => turn.locator('.answer.streaming').count(), { timeout: 20_000 }).toBe(1);
    await shot('streaming', sharing);
    await expect.poll(() => turn.getAttribute('class'), { timeout: 30_000 }).toMatch(/\bdone\b/);
    // The long answer grew beneath its question: the question is still where it was.
    expect(await questionAtTop()).toBeLessThan(30);
    await shot('long-answer', sharing);
    // Reopened at the small size, where this answer is taller than the view: its question is in view.
    await reopen({ width: 320, height: 640 });
    await expect.poll(newestQuestionPlace).toBe('in view');
    await panel.setViewportSize({ width: 400, height: 800 });
    await panel.emulateMedia({ colorScheme: 'light' });
  });

  it('paused: the bar says so and offers Resume; Stop sharing stays in view', async () => {
    await panel.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => panel.getByRole('region', { name: 'Sharing' }).textContent()).toContain('Sharing paused');
    await expect.poll(() => panel.locator('.ask .chip').first().textContent()).toContain('Paused');
    await shot('paused', sharing);
    await panel.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => panel.getByRole('button', { name: 'Pause' }).count()).toBe(1);
  });

  it('a rate limit: an error card whose countdown moves, with Retry once it is over', async () => {
    stack.gemini.respond(() => ({
      status: 429,
      error: {
        message: 'Resource has been exhausted.',
        status: 'RESOURCE_EXHAUSTED',
        details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '40s' }],
      },
    }));
    await ask(panel, 'What changed since Q2?');
    const turn = turnOf('What changed since Q2?');
    const countdown = turn.locator('.countdown');
    await expect.poll(() => countdown.count(), { timeout: 20_000 }).toBe(1);
    const seconds = async () => Number((await countdown.textContent())!.match(/(\d+) s/)![1]);
    const first = await seconds();
    expect(await turn.getByRole('button', { name: 'Retry' }).isDisabled()).toBe(true);
    await panel.waitForTimeout(2_200);
    const later = await seconds();
    expect(later, `countdown went from ${first} to ${later}`).toBeLessThanOrEqual(first - 2);
    expect(await panel.getByRole('textbox', { name: 'Ask about what you see' }).inputValue()).toBe('');
    await shot('error-retry', sharing);
    stack.gemini.reset();
  });

  it('a refused token: Open Settings; a blocked prompt: Edit question puts it back in the ask box', async () => {
    await setStored({ accessToken: 'not-the-token' });
    await ask(panel, 'Is the forecast realistic?');
    const refused = turnOf('Is the forecast realistic?');
    await expect.poll(() => refused.getByRole('button', { name: 'Open Settings' }).count(), { timeout: 20_000 }).toBe(1);
    await shot('error-settings', sharing);
    await refused.getByRole('button', { name: 'Open Settings' }).click();
    await expect.poll(() => panel.getByRole('heading', { name: 'Settings' }).count()).toBe(1);
    await shot('settings', sharing);
    await setStored({ accessToken: TEST_TOKEN });
    await panel.getByRole('button', { name: 'Back' }).click();

    // A prompt Gemini refuses as a whole (a recorded response shape): the ending offers Edit question.
    stack.gemini.respond(() => ({ replay: geminiFixture('blocked-prompt').response }));
    await ask(panel, 'Rewrite the slide as a poem');
    const blocked = turnOf('Rewrite the slide as a poem');
    await expect.poll(() => blocked.getByRole('button', { name: 'Edit question' }).count(), { timeout: 20_000 }).toBe(1);
    await shot('error-edit', sharing);
    await blocked.getByRole('button', { name: 'Edit question' }).click();
    const box = panel.getByRole('textbox', { name: 'Ask about what you see' });
    expect(await box.inputValue()).toBe('Rewrite the slide as a poem');
    expect(await box.evaluate((el) => el === document.activeElement)).toBe(true);
    await box.fill('');
    stack.gemini.reset();
  });

  it('far up the log, "Jump to newest" brings the newest words back', async () => {
    // As a person does: the mouse wheel over the log.
    await panel.getByRole('log').hover();
    await panel.mouse.wheel(0, -5000);
    await expect.poll(() => panel.getByRole('button', { name: 'Jump to newest' }).count()).toBe(1);
    await shot('scrolled-up', sharing);
    // By keyboard: it is a real button.
    await panel.getByRole('button', { name: 'Jump to newest' }).focus();
    await panel.keyboard.press('Enter');
    await expect.poll(() => panel.getByRole('log').evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight)).toBeLessThan(30);
  });

  it('the preview: full width, Done and Cancel fixed under it, regions as numbered pictures', async () => {
    await panel.getByRole('button', { name: 'Preview and hide regions' }).click();
    await expect.poll(() => panel.getByRole('heading', { name: 'What Sightline sees' }).count()).toBe(1);
    await shot('preview', sharing);
    await panel.getByRole('button', { name: 'Hide a region' }).click();
    const doneAndCancel = async () =>
      [await whyNotVisible(panel.getByRole('button', { name: 'Done' })), await whyNotVisible(panel.getByRole('button', { name: 'Cancel' }))].filter(Boolean);
    await shot('preview-drawing', { ...sharing, check: doneAndCancel });
    await panel.keyboard.press('ArrowRight');
    await panel.keyboard.press('Enter');
    await expect.poll(() => panel.getByRole('region', { name: 'Hidden regions' }).count()).toBe(1);
    await shot('preview-regions', sharing);
    await panel.getByRole('button', { name: 'Back' }).click();
  });

  it('History and Cost as full-panel views; the chip warns only near the spend limit', async () => {
    await panel.getByRole('button', { name: 'History' }).click();
    await expect.poll(() => panel.getByRole('heading', { name: 'History' }).count()).toBe(1);
    await shot('history', sharing);
    await panel.getByRole('button', { name: 'Back' }).click();

    const chip = panel.locator('button.chip.cost');
    expect(await chip.getAttribute('class')).not.toMatch(/near|over/);
    await chip.click();
    const meter = await panel.getByRole('region', { name: 'Cost of this conversation' }).textContent();
    const [prompt, answer] = meter!.match(/([\d,]+) prompt \+ ([\d,]+) answer tokens/)!.slice(1).map((v) => Number(v.replace(/,/g, '')));
    // A spend limit at about 1.15 times the cost so far: more than 80% used, so the chip warns.
    await setStored({ inputPricePerMillion: 1000, outputPricePerMillion: 1000, spendLimit: Number((((prompt! + answer!) / 1000) * 1.15).toFixed(2)) });
    await expect.poll(() => panel.locator('.spend-limit').textContent()).toMatch(/Spend limit: 8\d% of/);
    await shot('cost', sharing);
    await panel.getByRole('button', { name: 'Back' }).click();
    await expect.poll(() => chip.getAttribute('class')).toMatch(/\bnear\b/);
    await shot('spend-limit-near', sharing);
    await setStored({ inputPricePerMillion: 0.3, outputPricePerMillion: 2.5, spendLimit: 0 });
  });

  it('reopened: the newest question is in view', async () => {
    await reopen({ width: 400, height: 800 });
    await expect.poll(() => panel.locator('[role=log] article').count(), { timeout: 10_000 }).toBeGreaterThan(3);
    await expect.poll(newestQuestionPlace).toBe('in view');
    await shot('reopened', { ...sharing, check: async () => [await newestQuestionPlace()].filter((p) => p !== 'in view') });
  });

  it('the shared tab closed: a notice says why, and sharing is offered again from the ask box', async () => {
    await tab.close();
    await expect.poll(() => panel.getByRole('alert').textContent(), { timeout: 15_000 }).toMatch(/closed/i);
    await expect.poll(() => panel.getByRole('button', { name: 'Share this tab' }).count()).toBe(1);
    await shot('tab-closed');
  });

  it('every control can be reached with the keyboard, with a visible focus ring', async () => {
    await panel.getByRole('button', { name: 'Dismiss' }).click();
    await panel.locator('body').click({ position: { x: 1, y: 1 } });
    const reached = new Set<string>();
    const rings: string[] = [];
    for (let i = 0; i < 60; i++) {
      await panel.keyboard.press('Tab');
      const at = await panel.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body) return undefined;
        const s = getComputedStyle(el);
        const name = (el.getAttribute('aria-label') ?? el.textContent?.trim() ?? '').slice(0, 40);
        return { key: `${el.tagName.toLowerCase()}:${el.id || name}`, ring: s.outlineStyle !== 'none' && Number.parseFloat(s.outlineWidth) >= 2 };
      });
      if (!at) continue;
      if (!at.ring) rings.push(at.key);
      reached.add(at.key);
    }
    const all = await panel.evaluate(() =>
      // Not "Jump to newest": it comes and goes as focus scrolls the log (its own test uses the keyboard).
      Array.from(document.querySelectorAll<HTMLElement>('button:not(.jump), textarea, input, summary, [tabindex="0"]'))
        .filter((el) => !(el as HTMLButtonElement).disabled && el.getClientRects().length > 0)
        .map((el) => `${el.tagName.toLowerCase()}:${el.id || (el.getAttribute('aria-label') ?? el.textContent?.trim() ?? '').slice(0, 40)}`),
    );
    expect(all.filter((k) => !reached.has(k))).toEqual([]);
    expect(rings).toEqual([]);
  });

  it('no state has a problem', () => {
    const lines = findings.map((f) => `${f.state} ${f.size} ${f.scheme}: ${f.problem}`);
    expect(lines).toEqual([]);
  });

  it('axe-core is installed, so the WCAG 2.1 A/AA checks above ran', () => {
    expect(axe, 'axe-core is not installed (npm i -D axe-core): the accessibility checks were skipped').toBeDefined();
  });
});
