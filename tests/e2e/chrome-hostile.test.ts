/**
 * Safe rendering in real Chromium: the stand-in upstream answers with hostile markdown and HTML (as a web
 * page steering the model could make it), streamed in pieces into the real panel. Nothing may run, load
 * remote content or navigate the panel: a window flag stays unset, no dialog opens, the recording server
 * sees no request, the panel keeps its URL, and the page's CSP never even has to step in.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchChromium, type ChromeHarness } from '../support/chromium.ts';
import { copyChromeBuild } from '../support/build-copy.ts';
import { startStack, TEST_TOKEN, type Stack } from '../support/stack.ts';
import { ask, configurePanel } from '../support/panel.ts';

/** A server the hostile answer points at: any hit means the panel fetched or navigated on the model's say. */
async function startRecorder(): Promise<{ url: string; hits: string[]; close(): Promise<void> }> {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.setHeader('content-type', 'text/html');
    res.end('<script>window.opener && (window.opener.__pwned = "recorder")</script>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () => new Promise((r) => { server.close(() => r()); server.closeAllConnections(); }),
  };
}

/** Hostile pieces; each sets window.__pwned or opens a dialog or hits the recorder (R) if it ever runs. */
function hostileAnswer(R: string): string[] {
  const doc = [
    'Here is what I see on the page.\n\n',
    '<script>window.__pwned = "script"</script>\n\n',
    '<img src=x onerror="window.__pwned = \'img-onerror\'; alert(1)">\n\n',
    `<img src="${R}/raw-img">\n\n`,
    '<div onclick="window.__pwned=\'onclick\'" onmouseover="window.__pwned=\'mouseover\'">hover or click me</div>\n\n',
    '<svg onload="window.__pwned=\'svg\'"><animate onbegin="alert(2)" attributeName="x" dur="1s"/></svg>\n\n',
    '[js link](javascript:window.__pwned=\'js-link\') ',
    '[mixed case](JaVaScRiPt:alert(3)) ',
    '[entity](&#106;avascript:alert(4)) ',
    '[spaced]( javascript:alert(5)) ',
    '<javascript:alert(6)> ',
    '[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCg3KTwvc2NyaXB0Pg==) ',
    `[title trick](https://example.com "x\\" onmouseover=\\"window.__pwned='title'")\n\n`,
    `<a href="javascript:window.__pwned='raw-a'">raw anchor</a>\n\n`,
    `![remote image](${R}/md-img)\n\n`,
    `![ref image][r]\n\n[r]: ${R}/ref-img\n\n`,
    `<iframe src="${R}/iframe"></iframe>\n\n`,
    `<form action="${R}/form" method="post"><input name="a" value="b"><button>go</button></form>\n\n`,
    `<meta http-equiv="refresh" content="0;url=${R}/meta">\n\n`,
    `<object data="${R}/object"></object><embed src="${R}/embed">\n\n`,
    `<link rel="stylesheet" href="${R}/css"><style>@import url(${R}/style-import); body{background:url(${R}/bg)}</style>\n\n`,
    `<video src="${R}/video" autoplay></video><audio src="${R}/audio" autoplay></audio>\n\n`,
    `<base href="${R}/base/">\n\n`,
    '| a | b |\n|---|---|\n| <img src=x onerror=alert(8)> | [t](javascript:alert(9)) |\n\n',
    'Done.',
  ].join('');
  // Streamed in small pieces, so half-written tags (`<scr` then `ipt>`) reach the renderer too.
  const pieces: string[] = [];
  for (let i = 0; i < doc.length; i += 37) pieces.push(doc.slice(i, i + 37));
  return pieces;
}

let stack: Stack;
let recorder: Awaited<ReturnType<typeof startRecorder>>;
let chrome: ChromeHarness;
let build: ReturnType<typeof copyChromeBuild>;
let panel: Page;
const dialogs: string[] = [];

beforeAll(async () => {
  stack = await startStack();
  recorder = await startRecorder();
  build = copyChromeBuild();
  chrome = await launchChromium({ extensionDir: build.dir });
  await chrome.serviceWorker();
  panel = await chrome.openPanel();
  await configurePanel(panel, stack.proxy.url, TEST_TOKEN);
  panel.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
  // Every CSP violation the page reports: the sanitizer alone should leave the CSP nothing to block.
  await panel.evaluate(() => {
    const w = window as unknown as { __violations: string[] };
    w.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
});

afterAll(async () => {
  await chrome?.close();
  build?.remove();
  await recorder?.close();
  await stack?.close();
});

async function expectNothingRan(page: Page, startUrl: string): Promise<void> {
  await page.waitForTimeout(1000); // time for a late load, refresh or handler to show itself
  expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
  expect(dialogs).toEqual([]);
  expect(recorder.hits).toEqual([]);
  expect(page.url()).toBe(startUrl);
  expect(chrome.context.pages().map((p) => p.url()).filter((u) => u.startsWith(recorder.url) || /^(data|javascript):/.test(u))).toEqual([]);
  expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([]);
}

describe('hostile answers in the real panel', () => {
  it('the extension pages run only their own scripts and load images only from themselves', () => {
    const manifest = JSON.parse(readFileSync(join(build.dir, 'manifest.json'), 'utf8')) as { content_security_policy: { extension_pages: string } };
    const csp = manifest.content_security_policy.extension_pages;
    const directive = (name: string) => csp.split(';').map((d) => d.trim()).find((d) => d.startsWith(`${name} `)) ?? '';
    // 'wasm-unsafe-eval' lets the OCR Worker compile tesseract's WebAssembly (lib/capture/page/ocr.ts); it allows no
    // JavaScript eval and no script from anywhere but the extension.
    expect(directive('script-src')).toBe("script-src 'self' 'wasm-unsafe-eval'");
    expect(directive('object-src')).toMatch(/^object-src '(self|none)'$/);
    expect(directive('img-src')).not.toMatch(/https?:|\*/);
  });

  it('renders script, handlers, hostile links, remote images, frames, forms and refreshes as inert text', async () => {
    const startUrl = panel.url();
    stack.gemini.respond(() => ({ text: hostileAnswer(recorder.url), delayMs: 10 }));
    await ask(panel, 'Describe this page');
    const turn = panel.getByRole('article', { name: 'Question: Describe this page' });
    await expect.poll(() => turn.getAttribute('class'), { timeout: 30_000 }).toMatch(/\bdone\b/);
    const answer = turn.locator('.answer');
    await expect.poll(() => answer.textContent()).toContain('Done.');

    // Whatever reached the DOM is inert: no active elements, no handlers, no remote or script URLs.
    const dom = await answer.evaluate((root) => {
      const all = Array.from(root.querySelectorAll('*'));
      return {
        tags: [...new Set(all.map((e) => e.tagName.toLowerCase()))],
        handlers: all.flatMap((e) => Array.from(e.attributes).filter((a) => /^on/i.test(a.name)).map((a) => `${e.tagName}@${a.name}`)),
        hrefs: Array.from(root.querySelectorAll('a[href]')).map((a) => a.getAttribute('href')!),
        srcs: all.filter((e) => e.hasAttribute('src')).map((e) => e.getAttribute('src')!),
      };
    });
    expect(dom.tags.filter((t) => ['script', 'iframe', 'form', 'input', 'button', 'meta', 'object', 'embed', 'link', 'style', 'video', 'audio', 'base', 'svg', 'animate'].includes(t))).toEqual([]);
    expect(dom.handlers).toEqual([]);
    expect(dom.srcs).toEqual([]);
    expect(dom.hrefs.filter((h) => !/^https:\/\/example\.com\/?$/.test(h))).toEqual([]);
    // The reader still sees what was there, as text.
    await expect.poll(() => answer.textContent()).toContain('<script>');
    await expect.poll(() => answer.textContent()).toContain('[image: remote image]');

    // Poke everything a person might: hover and click each link and block in the answer.
    for (const el of await answer.locator('a, div, p, td, span').all()) {
      const href = await el.getAttribute('href');
      if (href?.startsWith('https://')) continue; // a real link opens a new tab when clicked: that is a person's choice
      await el.hover().catch(() => {});
      await el.click({ timeout: 2000 }).catch(() => {});
    }
    await expectNothingRan(panel, startUrl);
  });

  it('never puts a hostile error message from upstream into the page: a sentence instead', async () => {
    const startUrl = panel.url();
    stack.gemini.respond(() => ({
      status: 400,
      error: { message: `<img src="${recorder.url}/error-img" onerror="window.__pwned='error'"><script>alert(10)</script>`, status: 'INVALID_ARGUMENT' },
    }));
    await ask(panel, 'Again please');
    const turn = panel.getByRole('article', { name: 'Question: Again please' });
    // Markup is never quoted (lib/core/answers/errors.ts quotes only short plain text): the sentence stands alone.
    await expect.poll(() => turn.locator('.error').textContent(), { timeout: 20_000 }).toMatch(/^Gemini could not accept this request\./);
    expect(await turn.locator('.error').textContent()).not.toMatch(/[<>]/);
    expect(await turn.locator('img, script').count()).toBe(0);
    await expectNothingRan(panel, startUrl);
  });

  it('would have noticed: unsanitized markup put in the panel by hand is caught by the CSP and reported', async () => {
    // The control for the checks above: the violation listener sees what the CSP had to block.
    await panel.evaluate((R) => {
      const probe = document.createElement('div');
      probe.innerHTML = `<img src="${R}/control-img" onerror="window.__pwned='control'">`;
      document.body.appendChild(probe);
    }, recorder.url);
    await expect.poll(() => panel.evaluate(() => (window as unknown as { __violations: string[] }).__violations.join('\n'))).toMatch(/img-src[\s\S]*script-src|script-src[\s\S]*img-src/);
    expect(await panel.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
    expect(recorder.hits).toEqual([]);
  });
});
