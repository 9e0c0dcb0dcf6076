/**
 * Odd-but-real Gemini answers end to end in real Chromium (recorded shapes, tests/fixtures/gemini): a prompt
 * refused as a whole, a SAFETY stop, a per-day quota, thoughts only. The panel shows the sentence that says why,
 * never an empty answer bubble, and the next question works. Also: Settings offers the proxy's models.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchChromium, type ChromeHarness } from '../support/chromium.ts';
import { copyChromeBuild } from '../support/build-copy.ts';
import { startStack, TEST_TOKEN, type Stack } from '../support/stack.ts';
import { geminiFixture } from '../support/gemini-fixtures.ts';
import { ask, configurePanel } from '../support/panel.ts';

let stack: Stack;
let chrome: ChromeHarness;
let build: ReturnType<typeof copyChromeBuild>;
let panel: Page;

const turnOf = (question: string) => panel.getByRole('article', { name: `Question: ${question}` });

beforeAll(async () => {
  stack = await startStack();
  build = copyChromeBuild();
  chrome = await launchChromium({ extensionDir: build.dir });
  await chrome.serviceWorker();
  panel = await chrome.openPanel();
  await configurePanel(panel, stack.proxy.url, TEST_TOKEN);
});

afterEach(() => stack.gemini.reset());

afterAll(async () => {
  await chrome?.close();
  build?.remove();
  await stack?.close();
});

/** Replays `fixture` for the next answer only; later questions get the stand-in's describing answer. */
function replayOnce(fixture: string): void {
  let used = false;
  stack.gemini.respond((req) => {
    if (used || req.action !== 'streamGenerateContent') return { text: ['You asked about it again.'] };
    used = true;
    return { replay: geminiFixture(fixture).response };
  });
}

/** The turn has finished with no answer text: no answer bubble at all, and `selector` says why. */
async function expectSentenceNoBubble(question: string, selector: '.error', says: RegExp): Promise<void> {
  const turn = turnOf(question);
  await expect.poll(() => turn.getAttribute('class'), { timeout: 20_000 }).toMatch(/\b(done|error)\b/);
  await expect.poll(() => turn.locator(selector).textContent()).toMatch(says);
  expect(await turn.locator('.answer').count()).toBe(0);
  expect(await turn.locator('.waiting').count()).toBe(0);
}

async function expectNextQuestionWorks(question: string): Promise<void> {
  await ask(panel, question);
  await expect.poll(() => turnOf(question).getAttribute('class'), { timeout: 20_000 }).toMatch(/\bdone\b/);
  await expect.poll(() => turnOf(question).locator('.answer').textContent()).toContain('You asked about it again.');
}

describe('answers that end oddly, in the panel', () => {
  it('a prompt refused as a whole says so, and the next question works without it', async () => {
    replayOnce('blocked-prompt');
    await ask(panel, 'Blocked question');
    await expectSentenceNoBubble('Blocked question', '.error', /Gemini refused this question.*prohibited content/);
    await expectNextQuestionWorks('After the block');
    const body = JSON.stringify(stack.gemini.requests.filter((r) => r.action === 'streamGenerateContent').at(-1)!.body);
    expect(body).not.toContain('Blocked question');
  });

  it('a SAFETY stop after some text keeps the text, marks it incomplete and says why', async () => {
    replayOnce('safety-after-text');
    await ask(panel, 'Safety question');
    const turn = turnOf('Safety question');
    await expect.poll(() => turn.locator('.error').textContent(), { timeout: 20_000 }).toMatch(/stopped this answer part-way.*unsafe/);
    expect(await turn.locator('.answer').textContent()).toContain('The first part of the answer');
    expect(await turn.locator('.incomplete').count()).toBe(1);
    await expectNextQuestionWorks('After the safety stop');
  });

  it('a per-day quota says it will not work until the quota resets, not "in a minute"', async () => {
    replayOnce('quota-per-day-429');
    await ask(panel, 'Quota question');
    await expectSentenceNoBubble('Quota question', '.error', /daily quota.*will not work again until.*midnight Pacific time/);
    expect(await turnOf('Quota question').locator('.error').textContent()).not.toMatch(/in a minute|Try again in \d/);
    await expectNextQuestionWorks('After the quota');
  });

  it('thoughts only: a sentence, the thoughts collapsed under "Thinking", never as the answer', async () => {
    replayOnce('thought-parts-only');
    await ask(panel, 'Thinking question');
    await expectSentenceNoBubble('Thinking question', '.error', /thought about this but wrote no answer/);
    const thinking = turnOf('Thinking question').locator('details.thinking');
    expect(await thinking.getAttribute('open')).toBeNull();
    expect(await thinking.locator('summary').textContent()).toBe('Thinking');
    await expectNextQuestionWorks('After thinking');
  });
});

describe('Settings', () => {
  it('offers the models the proxy allows and Gemini lists', async () => {
    await panel.getByRole('button', { name: 'Settings', exact: true }).click();
    await expect.poll(() => panel.locator('#model-options option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value)), { timeout: 15_000 })
      .toEqual(expect.arrayContaining(['gemini-2.5-flash', 'gemini-flash-latest']));
    const offered = await panel.locator('#model-options option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(offered).not.toContain('gemini-2.0-flash');
    expect(offered).not.toContain('gemini-embedding-001');
    // The field keeps free text; with a list it is a combobox.
    expect(await panel.getByRole('combobox', { name: 'Model' }).getAttribute('list')).toBe('model-options');
  });
});
