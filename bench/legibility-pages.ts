/**
 * Pages of known text for bench:legibility: a slide, a code editor, a dashboard of small numbers and a chat
 * window, as people share them. Each page fills the tab at any size with text at the sizes those apps use
 * (slide 28 to 44 CSS px, code 13 px monospace, dashboard 12 px, chat 14 px), and `text` is what it shows,
 * line by line, for the character accuracy of what OCR reads back.
 */

export interface TextPage {
  name: string;
  /** The page's HTML. */
  html: string;
  /** The visible text, one line per line on screen. */
  text: string;
}

const BASE = 'html,body{margin:0;height:100%;overflow:hidden;font-family:"DejaVu Sans",Arial,sans-serif}';

function page(name: string, style: string, body: string, lines: string[]): TextPage {
  return { name, html: `<!doctype html><title>${name}</title><style>${BASE}${style}</style><body>${body}</body>`, text: lines.join('\n') };
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const SLIDE_TITLE = 'Quarterly review: what changed in Q3';
const SLIDE_BULLETS = [
  'Revenue grew 14% to $4.2M, led by the Berlin office',
  'Churn fell from 3.1% to 2.4% after the onboarding fix',
  'Support tickets per customer down 22% since July',
  'Next: hire two engineers for the Lisbon team by May 15',
];

const CODE = [
  'import { readFile } from "node:fs/promises";',
  '',
  'export async function loadConfig(path: string) {',
  '  const raw = await readFile(path, "utf8");',
  '  const parsed = JSON.parse(raw) as Partial<Config>;',
  '  if (!parsed.port || parsed.port < 1024) {',
  '    throw new Error(`port must be >= 1024, got ${parsed.port}`);',
  '  }',
  '  return { retries: 3, timeoutMs: 2500, ...parsed };',
  '}',
  '',
  'function backoff(attempt: number): number {',
  '  return Math.min(30_000, 250 * 2 ** attempt);',
  '}',
  '',
  'const cache = new Map<string, Promise<Response>>();',
  'export function cachedFetch(url: string) {',
  '  let hit = cache.get(url);',
  '  if (!hit) cache.set(url, (hit = fetch(url)));',
  '  return hit;',
  '}',
];

const KPIS: Array<[string, string]> = [
  ['Active users', '18,492'],
  ['Conversion', '3.87%'],
  ['Avg. order', '$61.20'],
  ['Refunds', '0.42%'],
];
const TABLE_HEAD = ['Region', 'Orders', 'Revenue', 'Margin', 'Delta'];
const TABLE: string[][] = [
  ['North', '1,204', '$73,918', '21.4%', '+2.1'],
  ['South', '987', '$58,002', '19.8%', '-0.7'],
  ['East', '1,530', '$96,447', '23.0%', '+4.6'],
  ['West', '812', '$44,310', '17.2%', '-1.9'],
  ['Online', '3,068', '$188,275', '26.5%', '+8.3'],
];

const CHAT: Array<[string, string, string]> = [
  ['Maya Chen', '09:41', 'Did the build on main pass after the merge?'],
  ['Omar Haddad', '09:42', 'Yes, 412 tests green, deploy is queued for 10:15.'],
  ['Maya Chen', '09:43', 'Great. Can you check the error rate on checkout?'],
  ['Omar Haddad', '09:45', 'It is 0.3% now, was 1.8% before the fix.'],
  ['Lena Park', '09:46', 'Customer #88213 still sees the old invoice PDF.'],
  ['Omar Haddad', '09:47', 'Cache TTL is 15 min, it should clear by 10:02.'],
];

/** The four pages. */
export const PAGES: TextPage[] = [
  page(
    'slide',
    'body{background:#fff;color:#1a1a2e;padding:6vh 7vw;box-sizing:border-box}h1{font-size:44px;margin:0 0 5vh}li{font-size:28px;margin:0 0 3vh}',
    `<h1>${SLIDE_TITLE}</h1><ul>${SLIDE_BULLETS.map((b) => `<li>${esc(b)}</li>`).join('')}</ul>`,
    [SLIDE_TITLE, ...SLIDE_BULLETS],
  ),
  page(
    'code',
    'body{background:#1e1e1e;color:#d4d4d4;padding:16px 24px;box-sizing:border-box}pre{margin:0;font:13px/19px "DejaVu Sans Mono",monospace}',
    `<pre>${CODE.map(esc).join('\n')}</pre>`,
    CODE.filter((l) => l.trim() !== ''),
  ),
  page(
    'dashboard',
    'body{background:#f4f6f9;color:#222;padding:16px;box-sizing:border-box;font-size:12px}.kpis{display:flex;gap:12px;margin-bottom:16px}' +
      '.kpi{background:#fff;padding:10px 14px;border:1px solid #dde}.kpi b{display:block;font-size:12px;font-weight:normal;color:#555}' +
      'table{border-collapse:collapse;background:#fff}td,th{border:1px solid #dde;padding:4px 10px;text-align:right;font-weight:normal}',
    `<div class=kpis>${KPIS.map(([k, v]) => `<div class=kpi><b>${k}</b>${v}</div>`).join('')}</div>` +
      `<table><tr>${TABLE_HEAD.map((h) => `<th>${h}</th>`).join('')}</tr>${TABLE.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</table>`,
    [...KPIS.flatMap(([k, v]) => [k, v]), TABLE_HEAD.join(' '), ...TABLE.map((r) => r.join(' '))],
  ),
  page(
    'chat',
    'body{background:#fff;color:#111;padding:16px 24px;box-sizing:border-box;font-size:14px}.m{margin:0 0 12px;max-width:520px;background:#eef1f6;padding:8px 12px;border-radius:8px}' +
      '.n{font-weight:bold;margin-right:8px}.t{color:#666}',
    CHAT.map(([n, t, m]) => `<div class=m><div><span class=n>${n}</span><span class=t>${t}</span></div><div>${esc(m)}</div></div>`).join(''),
    CHAT.flatMap(([n, t, m]) => [`${n} ${t}`, m]),
  ),
];

/**
 * Character accuracy of `read` against `truth`: 1 - (Levenshtein distance / length of truth), after both are
 * reduced to single spaces (OCR's line breaks and spacing are not what is measured). 0 at worst.
 */
export function characterAccuracy(read: string, truth: string): number {
  const a = read.replace(/\s+/g, ' ').trim();
  const b = truth.replace(/\s+/g, ' ').trim();
  if (b.length === 0) return a.length === 0 ? 1 : 0;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return Math.max(0, 1 - prev[b.length]! / b.length);
}
