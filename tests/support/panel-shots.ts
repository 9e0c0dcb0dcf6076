/**
 * Looking at the real panel the way issue 11 asks: every state at 400x800 and 320x640, light and dark,
 * as PNGs in docs/panel/ (when SIGHTLINE_SCREENSHOTS=1), with the measurements that must hold in each —
 * Stop sharing wholly visible while sharing, answers at 14 px or more and the largest text in the
 * conversation, no sideways overflow, and axe-core's WCAG 2.1 A/AA rules.
 */
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Locator, Page } from 'playwright-core';

export const SIZES = [
  { width: 400, height: 800 },
  { width: 320, height: 640 },
] as const;
export const SCHEMES = ['light', 'dark'] as const;
export const SHOT_DIR = 'docs/panel';
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export interface Finding {
  state: string;
  size: string;
  scheme: string;
  problem: string;
}

/** axe-core's browser build, or undefined when the package is not installed. */
export function axeSource(): string | undefined {
  try {
    const main = createRequire(import.meta.url).resolve('axe-core');
    const min = join(dirname(main), 'axe.min.js');
    return readFileSync(existsSync(min) ? min : main, 'utf8');
  } catch {
    return undefined;
  }
}

/** Violations of the WCAG 2.1 A/AA rules, as "rule: target" lines. */
export async function axeViolations(page: Page, source: string): Promise<string[]> {
  // page.evaluate runs through DevTools, so the extension page's CSP (script-src 'self') does not block it.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(source);
  return page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: Array<{ id: string; nodes: Array<{ target: unknown[] }> }> }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${JSON.stringify(n.target)}`));
  }, AXE_TAGS);
}

/**
 * Why `target` is not wholly visible, or '' when it is: inside the window, not clipped by a scrolling or
 * clipping ancestor, and on top at its centre and near each corner.
 */
export async function whyNotVisible(target: Locator): Promise<string> {
  if ((await target.count()) !== 1) return `expected one element, found ${await target.count()}`;
  return target.evaluate((el) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return 'has no size';
    if (r.left < 0 || r.top < 0 || r.right > innerWidth + 0.5 || r.bottom > innerHeight + 0.5) {
      return `outside the window: ${JSON.stringify(r)} in ${innerWidth}x${innerHeight}`;
    }
    for (let p = el.parentElement; p; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (s.overflowX === 'visible' && s.overflowY === 'visible') continue;
      const c = p.getBoundingClientRect();
      if (r.top < c.top - 0.5 || r.bottom > c.bottom + 0.5 || r.left < c.left - 0.5 || r.right > c.right + 0.5) {
        return `clipped by ${p.tagName.toLowerCase()}.${p.className}`;
      }
    }
    const points = [
      [r.left + r.width / 2, r.top + r.height / 2],
      [r.left + 3, r.top + 3],
      [r.right - 3, r.top + 3],
      [r.left + 3, r.bottom - 3],
      [r.right - 3, r.bottom - 3],
    ];
    for (const [x, y] of points) {
      const hit = document.elementFromPoint(x!, y!);
      if (!hit || !(hit === el || el.contains(hit))) return `covered at ${x},${y} by ${hit?.tagName.toLowerCase()}.${hit?.className}`;
    }
    return '';
  });
}

/** Font sizes in the log: every answer's, and the largest of any other text in it. */
export async function logFontSizes(page: Page): Promise<{ answers: number[]; largestOther: number }> {
  return page.evaluate(() => {
    const log = document.querySelector('[role=log]');
    if (!log) return { answers: [], largestOther: 0 };
    const size = (el: Element) => Number.parseFloat(getComputedStyle(el).fontSize);
    const answers = Array.from(log.querySelectorAll('.answer')).map(size);
    let largestOther = 0;
    const walker = document.createTreeWalker(log, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const parent = n.parentElement;
      if (!parent || !n.textContent?.trim() || parent.closest('.answer, .sr-only, .empty-state')) continue;
      largestOther = Math.max(largestOther, size(parent));
    }
    return { answers, largestOther };
  });
}

/** Content wider than the panel (a sideways scroll bar) — never wanted. */
export function overflowsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1);
}

interface Sharp {
  png(opts: Record<string, unknown>): Sharp;
  toBuffer(): Promise<Buffer>;
}

/**
 * Writes a screenshot as a 256-colour PNG (about a third of the size; the UI has few colours). sharp is not
 * a dependency of ours: it comes with miniflare. Without it the picture is written as taken.
 */
async function writePng(path: string, png: Buffer): Promise<void> {
  const name = 'sharp'; // a variable, so neither the type checker nor the dependency rules treat it as ours
  try {
    const sharp = ((await import(name)) as { default: (input: Buffer) => Sharp }).default;
    png = await sharp(png).png({ palette: true, colours: 256, quality: 100, dither: 0.3, effort: 10, compressionLevel: 9 }).toBuffer();
  } catch {
    // Keep the full-colour picture.
  }
  writeFileSync(path, png);
}

export interface ShotOptions {
  /** Something is shared: Stop sharing must be wholly visible. */
  sharing?: boolean;
  /** Further checks of this state, run at every size and scheme. */
  check?: (page: Page) => Promise<string[]>;
}

/** Takes a state at every size and scheme, writes the pictures when asked, and returns what is wrong. */
export async function shootState(page: Page, state: string, opts: ShotOptions, axe: string | undefined): Promise<Finding[]> {
  const findings: Finding[] = [];
  const write = process.env.SIGHTLINE_SCREENSHOTS === '1';
  if (write) mkdirSync(SHOT_DIR, { recursive: true });
  for (const { width, height } of SIZES) {
    await page.setViewportSize({ width, height });
    for (const scheme of SCHEMES) {
      await page.emulateMedia({ colorScheme: scheme });
      // Two frames: layout after the resize, then the log's resize observer settling the scroll position.
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const size = `${width}x${height}`;
      const add = (problem: string) => findings.push({ state, size, scheme, problem });
      if (write) await writePng(`${SHOT_DIR}/${state}-${width}-${scheme}.png`, await page.screenshot({ animations: 'disabled' }));
      if (opts.sharing) {
        const why = await whyNotVisible(page.getByRole('button', { name: 'Stop sharing' }));
        if (why) add(`Stop sharing is not wholly visible: ${why}`);
      }
      const fonts = await logFontSizes(page);
      for (const px of fonts.answers) {
        if (px < 14) add(`answer text is ${px} px`);
        if (px < fonts.largestOther) add(`answer text (${px} px) is smaller than other text in the log (${fonts.largestOther} px)`);
      }
      if (await overflowsSideways(page)) add('content overflows sideways');
      for (const problem of (await opts.check?.(page)) ?? []) add(problem);
      if (axe) for (const v of await axeViolations(page, axe)) add(`axe ${v}`);
    }
  }
  await page.setViewportSize(SIZES[0]);
  await page.emulateMedia({ colorScheme: 'light' });
  return findings;
}

/** A slide-like page to share (a heading, a small bar chart, bullet points), so pictures look like real use. */
export async function startSlideSite(): Promise<{ url: string; close(): Promise<void> }> {
  const page = `<!doctype html><html lang="en"><title>Q3 results – Slides</title>
<style>
  body { margin: 0; font: 28px/1.4 system-ui, sans-serif; background: #fdfdfb; color: #1d2330; }
  main { padding: 48px 64px; display: grid; grid-template-columns: 1fr 1fr; gap: 48px; }
  h1 { grid-column: 1 / -1; margin: 0; font-size: 56px; color: #0b57d0; }
  .chart { display: flex; align-items: flex-end; gap: 24px; height: 320px; border-bottom: 3px solid #1d2330; }
  .chart div { flex: 1; background: #34a853; } .chart div:nth-child(3) { background: #ea4335; }
  ul { margin: 0; padding-left: 32px; }
</style>
<main><h1>Q3 results</h1>
<div class="chart"><div style="height:45%"></div><div style="height:70%"></div><div style="height:30%"></div><div style="height:90%"></div></div>
<ul><li>Revenue up 18% on Q2</li><li>Europe down 6%: supply delays</li><li>Asia doubled since launch</li><li>Hiring: 12 engineers</li></ul>
</main></html>`;
  const server = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(page);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((r) => { server.close(() => r()); server.closeAllConnections(); }),
  };
}
