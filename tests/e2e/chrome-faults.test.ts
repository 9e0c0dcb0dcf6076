/**
 * Faults end to end in real Chromium: Gemini refusing or failing, the stream dropped, the proxy killed
 * mid-answer and restarted, the service worker stopped mid-answer, the shared tab navigated away.
 * Each time the person sees a clear message in the turn, the panel never hangs on "Stop answering",
 * the conversation so far is intact, and the next question works.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchChromium, type ChromeHarness } from '../support/chromium.ts';
import { copyChromeBuild } from '../support/build-copy.ts';
import { startColorSite, startStack, TEST_TOKEN, type Stack } from '../support/stack.ts';
import type { FakeReply, RecordedRequest } from '../support/fake-gemini.ts';
import { averageColor, colorName, imagesOf } from '../support/images.ts';
import { ask, configurePanel, expectSharing, log } from '../support/panel.ts';

let stack: Stack;
let site: Awaited<ReturnType<typeof startColorSite>>;
let chrome: ChromeHarness;
let build: ReturnType<typeof copyChromeBuild>;
let panel: Page;

const isGenerate = (r: RecordedRequest) => r.path.includes(':streamGenerateContent');
const turnOf = (question: string) => panel.getByRole('article', { name: `Question: ${question}` });

/** The model's earlier words as the next request carries them. */
function modelTexts(req: RecordedRequest): string {
  const body = req.body as { contents: Array<{ role: string; parts: Array<{ text?: string }> }> };
  return body.contents.filter((c) => c.role === 'model').flatMap((c) => c.parts.map((p) => p.text ?? '')).join('\n');
}
function userTexts(req: RecordedRequest): string {
  const body = req.body as { contents: Array<{ role: string; parts: Array<{ text?: string }> }> };
  return body.contents.filter((c) => c.role === 'user').flatMap((c) => c.parts.map((p) => p.text ?? '')).join('\n');
}

/** The turn has finished one way or another: no "Stop answering", and Send takes a new question. */
async function expectNotHanging(): Promise<void> {
  await expect.poll(() => panel.getByRole('button', { name: 'Stop answering' }).count(), { timeout: 20_000 }).toBe(0);
  const box = panel.getByRole('textbox', { name: 'Ask about what you see' });
  await box.fill('ready?');
  await expect.poll(() => panel.getByRole('button', { name: 'Send' }).isEnabled()).toBe(true);
  await box.fill('');
}

/** Asks, waits for a finished answer from the default (describing) upstream, returns the request. */
async function askAndGetAnswer(question: string): Promise<RecordedRequest> {
  const before = stack.gemini.requests.filter(isGenerate).length;
  await ask(panel, question);
  await expect.poll(() => turnOf(question).getAttribute('class'), { timeout: 20_000 }).toMatch(/\bdone\b/);
  await expect.poll(() => turnOf(question).locator('.answer').textContent()).toMatch(/You asked: [\s\S]*\S/);
  expect(await turnOf(question).locator('.answer').textContent()).toContain(question);
  const requests = stack.gemini.requests.filter(isGenerate);
  expect(requests.length).toBe(before + 1);
  return requests.at(-1)!;
}

/** Answers slowly, so a fault can strike after the first words are on screen. */
const slowAnswer = (): FakeReply => ({ text: ['First words of a long answer. ', 'More ', 'and more ', 'and the end.'], firstDelayMs: 50, delayMs: 3000 });

beforeAll(async () => {
  stack = await startStack();
  site = await startColorSite();
  build = copyChromeBuild();
  chrome = await launchChromium({ extensionDir: build.dir });
  await chrome.serviceWorker();
  panel = await chrome.openPanel();
  await configurePanel(panel, stack.proxy.url, TEST_TOKEN);
});

// A test that fails mid-way must not leave a scripted fault for the next one.
afterEach(() => stack.gemini.reset());

afterAll(async () => {
  await chrome?.close();
  build?.remove();
  await site?.close();
  await stack?.close();
});

describe('Gemini failing, seen in the panel', () => {
  const rpc = 'type.googleapis.com/google.rpc';
  const cases: Array<{ name: string; reply: FakeReply; says: RegExp }> = [
    {
      name: 'a 429 with RetryInfo says when to retry',
      reply: {
        status: 429,
        error: {
          message: 'You exceeded your current quota, please check your plan and billing details.',
          status: 'RESOURCE_EXHAUSTED',
          details: [{ '@type': `${rpc}.RetryInfo`, retryDelay: '47s' }],
        },
      },
      says: /Too many requests.*Try again in 47 s\./,
    },
    {
      name: 'a 500 says Gemini had a problem',
      reply: { status: 500, error: { message: 'An internal error has occurred.', status: 'INTERNAL' } },
      says: /Gemini had a problem answering \(HTTP 500\).*Try again/,
    },
    {
      name: 'a stream dropped mid-answer says it was cut off',
      reply: { text: ['The first part ', 'then more ', 'never arrives'], dropAfter: 1, delayMs: 200 },
      // The proxy turns the cut into a whole error event, so the panel can say where it broke.
      says: /connection to Gemini was lost mid-answer\. Ask again/,
    },
    {
      name: 'an error event mid-stream says so',
      reply: { text: ['The first part ', 'then more ', 'never arrives'], errorEventAfter: 1, delayMs: 200 },
      says: /Gemini had a problem answering \(HTTP 500\).*Try again/,
    },
  ];

  it.each(cases)('$name, and nothing hangs', async ({ name, reply, says }) => {
    stack.gemini.respond(() => reply);
    const question = `Fault: ${name}`;
    await ask(panel, question);
    await expect.poll(() => turnOf(question).locator('.error').textContent(), { timeout: 20_000 }).toMatch(says);
    await expect.poll(() => turnOf(question).getAttribute('class')).toMatch(/\berror\b/);
    await expectNotHanging();
    stack.gemini.reset();
  });

  it('the next question works after them, and carries the conversation', async () => {
    const req = await askAndGetAnswer('Working again?');
    // The questions that failed are still part of the conversation.
    expect(userTexts(req)).toContain('Fault: a 500 says Gemini had a problem');
  });
});

describe('the proxy killed mid-answer and restarted', () => {
  it('says the answer was cut off, then a retry works and nothing is lost', async () => {
    await askAndGetAnswer('Before the crash');
    stack.gemini.respond(() => slowAnswer());
    await ask(panel, 'During the crash');
    await expect.poll(() => turnOf('During the crash').textContent(), { timeout: 20_000 }).toContain('First words');

    await stack.restartProxy();
    stack.gemini.reset();
    await expect.poll(() => turnOf('During the crash').locator('.error').textContent(), { timeout: 20_000 }).toMatch(/cut off: the connection to the proxy dropped\. Ask again/);
    await expectNotHanging();

    const req = await askAndGetAnswer('After the restart');
    expect(userTexts(req)).toContain('Before the crash');
    expect(modelTexts(req)).toMatch(/You asked: [\s\S]*Before the crash/);
    expect(userTexts(req)).toContain('During the crash');
    await expect.poll(() => log(panel).textContent()).toContain('Before the crash');
    await expect.poll(() => log(panel).textContent()).toContain('During the crash');
  });
});

describe('the service worker stopped mid-answer', () => {
  it('keeps the conversation, says the turn was interrupted, and the next question works', async () => {
    await askAndGetAnswer('Before the stop');
    stack.gemini.respond(() => slowAnswer());
    await ask(panel, 'During the stop');
    await expect.poll(() => turnOf('During the stop').textContent(), { timeout: 20_000 }).toContain('First words');

    await stopServiceWorker(chrome);
    stack.gemini.reset();

    await expect.poll(() => turnOf('During the stop').locator('.error').textContent(), { timeout: 20_000 })
      .toMatch(/interrupted when the extension restarted.*Ask again/);
    await expectNotHanging();
    await expect.poll(() => turnOf('Before the stop').locator('.answer').textContent()).toMatch(/You asked: [\s\S]*Before the stop/);

    const req = await askAndGetAnswer('After the stop');
    expect(modelTexts(req)).toMatch(/You asked: [\s\S]*Before the stop/);
    expect(userTexts(req)).toContain('During the stop');
  });
});

describe('the shared tab navigated to another page', () => {
  it('stops sharing and says why', async () => {
    const tab = await chrome.context.newPage();
    await tab.goto(`${site.url}?c=rgb(220,0,0)`);
    await tab.bringToFront();
    await chrome.clickToolbarButton(tab);
    await panel.getByRole('button', { name: 'Share this tab' }).click();
    await expectSharing(panel).catch(async (err: Error) => {
      throw new Error(`${err.message}; panel says: ${await panel.locator('.controls').textContent()}`);
    });

    await tab.goto(`${site.url}other?c=rgb(0,0,220)`);
    await expect.poll(() => panel.getByRole('alert').textContent(), { timeout: 15_000 }).toMatch(/another page.*sharing stopped/i);
    await expect.poll(() => panel.getByRole('button', { name: 'Share this tab' }).count(), { timeout: 15_000 }).toBe(1);
    expect(await panel.getByRole('button', { name: 'Stop sharing' }).count()).toBe(0);

    // Nothing of the new (blue) page goes out: the next question carries no frame of it.
    const req = await askAndGetAnswer('After navigating');
    expect(imagesOf(req).map((jpeg) => colorName(averageColor(jpeg)))).not.toContain('blue');
    await tab.close();
  });
});

/**
 * Stops the extension's service worker as Chrome does when it idles out, by closing its DevTools target.
 * Playwright keeps one Worker handle across the restart, so a global set beforehand tells the old
 * instance from the fresh one the panel's reconnect wakes.
 */
async function stopServiceWorker(chrome: ChromeHarness): Promise<void> {
  const worker = await chrome.serviceWorker();
  const marker = () => worker.evaluate(() => (globalThis as { __beforeStop?: boolean }).__beforeStop ?? false).catch(() => 'restarting');
  await worker.evaluate(() => { (globalThis as { __beforeStop?: boolean }).__beforeStop = true; });
  const { targetInfos } = (await chrome.browserCdp('Target.getTargets')) as { targetInfos: Array<{ targetId: string; type: string; url: string }> };
  const target = targetInfos.find((t) => t.type === 'service_worker' && t.url === worker.url());
  if (!target) throw new Error(`no service worker target for ${worker.url()}`);
  await chrome.browserCdp('Target.closeTarget', { targetId: target.targetId });
  await expect.poll(marker, { timeout: 15_000 }).toBe(false);
}
