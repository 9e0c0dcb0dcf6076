/**
 * npm run bench:legibility — can the model read the text in the frames Sightline sends? Pages of known text (a
 * slide, a code editor, a dashboard of small numbers, a chat window: legibility-pages.ts) are shown at 1280x720
 * and 1920x1080 CSS px in headless Chromium and shared through the real extension; the frame of a question that
 * reaches the stand-in Gemini, and the same captured picture encoded with other settings (legibility-encode.ts),
 * are read back with OCR (tesseract.js, offline: ocr.ts). Printed per setting: character accuracy against the
 * page's text (mean of the four pages), bytes per frame and encode time, beside the target (>= 95% on 1080p text
 * at <= 35 KB per frame) and the product's current setting measured in the same run as the baseline.
 * `--markdown` prints the table for docs/legibility.md.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import type { Page } from 'playwright-core';
import setup from '../tests/e2e/global-setup.ts';
import { launchChromium, type ChromeHarness } from '../tests/support/chromium.ts';
import { startStack, TEST_TOKEN } from '../tests/support/stack.ts';
import { configurePanel, ask } from '../tests/support/panel.ts';
import { imagesOf } from '../tests/support/images.ts';
import { characterAccuracy, PAGES } from './legibility-pages.ts';
import { encodeVariants, label, magnifyForOcr, OCR_SCALE, type Encoded, type Variant } from './legibility-encode.ts';
import { createOcr } from './ocr.ts';
import { percentile } from './stats.ts';

const VIEWPORTS = [
  { name: '720p', width: 1280, height: 720 },
  { name: '1080p', width: 1920, height: 1080 },
];
const TARGET_ACCURACY = 0.95;
const TARGET_KB = 35;

const VARIANTS: Variant[] = [
  ...[768, 1024, 1280, 1536].flatMap((maxSide) => [0.6, 0.75, 0.9].map((quality) => ({ maxSide, format: 'jpeg' as const, quality, sharpen: 0 }))),
  ...[768, 1024, 1280, 1536].flatMap((maxSide) => [0.6, 0.8].map((quality) => ({ maxSide, format: 'webp' as const, quality, sharpen: 0 }))),
  ...[768, 1024, 1280].map((maxSide) => ({ maxSide, format: 'jpeg' as const, quality: 0.75, sharpen: 0.6 })),
];

/**
 * `--extra`: settings beyond the table's, tried against the target once the table had its choice: quality 0.7 at
 * 1536 px, the 1080p tab unscaled (1920 px) as JPEG and WebP, WebP at its highest qualities, sharpening at 1536 px.
 */
const EXTRA: Variant[] = [
  { maxSide: 1536, format: 'jpeg', quality: 0.7, sharpen: 0 },
  { maxSide: 1536, format: 'jpeg', quality: 0.6, sharpen: 0.6 },
  { maxSide: 1536, format: 'webp', quality: 0.9, sharpen: 0 },
  ...[0.5, 0.6, 0.7].map((quality) => ({ maxSide: 1920, format: 'jpeg' as const, quality, sharpen: 0 })),
  ...[0.6, 0.8, 0.9].map((quality) => ({ maxSide: 1920, format: 'webp' as const, quality, sharpen: 0 })),
];

const step = (what: string) => process.stderr.write(`  · ${what}\n`);

interface Row { viewport: string; setting: string; page: string; accuracy?: number; kb: number; ms: number; where: string }

/** Sizes the window so the shared tab shows exactly width x height CSS px (the side panel takes its share). */
async function sizeTab(chrome: ChromeHarness, tab: Page, width: number, height: number): Promise<void> {
  const { targetInfos } = (await chrome.browserCdp('Target.getTargets')) as { targetInfos: Array<{ targetId: string; type: string; url: string }> };
  const target = targetInfos.find((t) => t.type === 'page' && t.url === tab.url())!;
  const { windowId, bounds } = (await chrome.browserCdp('Browser.getWindowForTarget', { targetId: target.targetId })) as { windowId: number; bounds: { width: number; height: number } };
  let outer = bounds;
  for (let i = 0; i < 4; i++) {
    const [w, h] = await tab.evaluate(() => [innerWidth, innerHeight]);
    if (w === width && h === height) return;
    outer = { width: outer.width + width - w!, height: outer.height + height - h! };
    await chrome.browserCdp('Browser.setWindowBounds', { windowId, bounds: outer });
    await tab.waitForTimeout(400);
  }
  throw new Error(`could not size the tab to ${width}x${height}`);
}

async function main(): Promise<void> {
  const markdown = process.argv.includes('--markdown');
  setup();
  const { ocr, missing } = await createOcr();
  if (missing) console.log(`\n  OCR unavailable: ${missing}. Accuracy is left out; bytes and times are measured.\n`);
  const stack = await startStack();
  const server = createServer((req, res) => {
    const name = new URL(req.url ?? '/', 'http://x').searchParams.get('p');
    const found = PAGES.find((p) => p.name === name);
    res.writeHead(found ? 200 : 404, { 'content-type': 'text/html' }).end(found?.html ?? 'no such page');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  let chrome: ChromeHarness | undefined;
  const rows: Row[] = [];
  // Every image is magnified the same before OCR (legibility-encode.ts), in the running offscreen document.
  const readAll = async (images: Array<{ data: string; mime: string }>): Promise<Array<string | undefined>> => {
    if (!ocr || !chrome) return images.map(() => undefined);
    const big = await magnifyForOcr(chrome, images);
    const out: string[] = [];
    for (const png of big) out.push(await ocr.read(Buffer.from(png, 'base64')));
    return out;
  };
  const accuracyOf = (text: string | undefined, truth: string) => (text === undefined ? undefined : characterAccuracy(text, truth));
  try {
    chrome = await launchChromium();
    const tab = await chrome.context.newPage();
    const panel = await chrome.openPanel();
    await configurePanel(panel, stack.proxy.url, TEST_TOKEN);
    stack.gemini.respond(() => ({ text: ['Read.'] }));
    for (const viewport of VIEWPORTS) {
      for (const page of PAGES) {
        step(`${page.name} at ${viewport.name}`);
        await tab.goto(`${base}?p=${page.name}`);
        await tab.bringToFront();
        await chrome.clickToolbarButton(tab);
        await panel.getByRole('button', { name: 'Share this tab' }).click();
        await panel.getByRole('button', { name: 'Stop sharing' }).waitFor({ timeout: 15_000 });
        await sizeTab(chrome, tab, viewport.width, viewport.height);
        await tab.waitForTimeout(800);
        // The product's own question frame, as it reaches Gemini.
        const before = stack.gemini.requests.length;
        await ask(panel, `What does the ${page.name} say?`);
        while (stack.gemini.requests.length === before) await tab.waitForTimeout(50);
        const sent = imagesOf(stack.gemini.requests.at(-1)!).at(-1)!;
        await panel.waitForFunction(() => ![...document.querySelectorAll('button')].some((b) => b.textContent === 'Stop answering'));
        // The ceiling: the tab itself, lossless (a PNG screenshot at its CSS size).
        const source = (await tab.screenshot({ type: 'png' })).toString('base64');
        // Every other setting, on the same captured picture.
        const encoded: Encoded[] = await encodeVariants(chrome, process.argv.includes('--extra') ? EXTRA : VARIANTS);
        const texts = await readAll([
          { data: source, mime: 'image/png' },
          { data: sent, mime: 'image/jpeg' },
          ...encoded.map((e) => ({ data: e.data, mime: `image/${e.variant.format}` })),
        ]);
        rows.push({ viewport: viewport.name, setting: 'source (lossless screenshot)', page: page.name, accuracy: accuracyOf(texts[0], page.text), kb: source.length * 0.75 / 1024, ms: NaN, where: '-' });
        rows.push({ viewport: viewport.name, setting: 'product (question frame)', page: page.name, accuracy: accuracyOf(texts[1], page.text), kb: (sent.length * 3) / 4 / 1024, ms: NaN, where: 'worker' });
        encoded.forEach((e, i) => {
          rows.push({ viewport: viewport.name, setting: label(e.variant), page: page.name, accuracy: accuracyOf(texts[i + 2], page.text), kb: e.bytes / 1024, ms: e.ms, where: e.where });
        });
        await panel.getByRole('button', { name: 'Stop sharing' }).click();
        await panel.getByRole('button', { name: 'Share this tab' }).waitFor();
      }
    }
  } finally {
    await chrome?.close();
    await ocr?.close();
    server.close();
    await stack.close();
  }
  printSummary(rows, markdown);
}

/** One line per viewport and setting: mean accuracy over the pages, the worst page, p50 bytes and encode time. */
function printSummary(rows: Row[], markdown: boolean): void {
  const load = loadavg().map((l) => l.toFixed(2)).join(' ');
  const groups = new Map<string, Row[]>();
  for (const r of rows) groups.set(`${r.viewport}|${r.setting}`, [...(groups.get(`${r.viewport}|${r.setting}`) ?? []), r]);
  const pct = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? 'n/a' : `${(100 * v).toFixed(1)}%`);
  const lines: string[] = [];
  const header = ['viewport', 'setting', 'accuracy (mean)', 'worst page', 'KB/frame (p50)', 'KB max', 'encode ms (p50)', 'where', 'meets target'];
  for (const [key, rs] of groups) {
    const [viewport, setting] = key.split('|') as [string, string];
    const accs = rs.map((r) => r.accuracy).filter((a): a is number => a !== undefined);
    const mean = accs.length ? accs.reduce((a, b) => a + b, 0) / accs.length : undefined;
    const worst = rs.filter((r) => r.accuracy !== undefined).sort((a, b) => a.accuracy! - b.accuracy!)[0];
    const kb = percentile(rs.map((r) => r.kb), 50);
    const kbMax = Math.max(...rs.map((r) => r.kb));
    const ms = percentile(rs.map((r) => r.ms).filter((m) => Number.isFinite(m)), 50);
    const meets = mean === undefined ? '?' : mean >= TARGET_ACCURACY && kbMax <= TARGET_KB ? 'yes' : 'no';
    lines.push([viewport, setting, pct(mean), worst ? `${worst.page} ${pct(worst.accuracy)}` : 'n/a', kb.toFixed(1), kbMax.toFixed(1), Number.isFinite(ms) ? ms.toFixed(1) : '-', rs[0]!.where, viewport === '1080p' ? meets : '-'].join(markdown ? ' | ' : '  '));
  }
  console.log(`\nbench:legibility — target: >= ${100 * TARGET_ACCURACY}% character accuracy on 1080p text at <= ${TARGET_KB} KB per frame; OCR of each image magnified ${OCR_SCALE}x (load average ${load})`);
  if (markdown) {
    console.log(`| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|`);
    for (const l of lines) console.log(`| ${l} |`);
  } else {
    console.log(`  ${header.join('  ')}`);
    for (const l of lines) console.log(`  ${l}`);
  }
  // Per page at 1080p: where the missing points are.
  const pages = [...new Set(rows.map((r) => r.page))];
  const perPage = [...groups].filter(([key]) => key.startsWith('1080p|')).map(([key, rs]) =>
    [key.split('|')[1]!, ...pages.map((p) => { const r = rs.find((x) => x.page === p); return r ? `${pct(r.accuracy)} ${r.kb.toFixed(1)} KB` : 'n/a'; })]);
  console.log('\n1080p per page (character accuracy, KB):');
  if (markdown) {
    console.log(`| setting | ${pages.join(' | ')} |\n|${['', ...pages].map(() => '---').join('|')}|`);
    for (const l of perPage) console.log(`| ${l.join(' | ')} |`);
  } else {
    for (const l of perPage) console.log(`  ${l.join('  ')}`);
  }
}

await main();
