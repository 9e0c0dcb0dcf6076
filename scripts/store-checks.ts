/**
 * Checks of the store archives `npm run zip` makes: what a store reviewer (or a leaked secret) would catch,
 * caught here first. Used by scripts/zip.ts and by tests/e2e/store-package.test.ts.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import JSZip from 'jszip';

/** The development build's public key (wxt.config.ts): a store build must not carry it. */
const DEV_KEY_PREFIX = 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEArJS0';
/**
 * Compressed size budgets per archive (bytes), not counting the OCR files (OCR_BUDGET_BYTES has those); today's
 * sizes are printed beside them. Firefox's is larger since Live mode runs in its sidebar (Nov 30): the sidebar
 * carries the Live client and its copy of the Gemini SDK, as Chrome's offscreen document does, on top of the tab
 * sampler the event page has and Chrome's does not (300.6 kB measured; Chrome 292.9 kB). Chrome's was 300 kB until
 * Nov 30, when the panel for pointing, sound and the timeline, Settings for a model server of one's own and the
 * direct Live path took it from 278.9 kB (Nov 29) to 300.4 kB (background.js 511 kB unpacked, the offscreen
 * document 416 kB, the panel 173 kB): 330 kB for both leaves ~10% for growth, so a larger jump is a decision.
 */
export const ZIP_BUDGET_BYTES: Record<'chrome' | 'firefox' | 'sources', number> = {
  chrome: 330_000,
  firefox: 330_000,
  sources: 1_500_000,
};
/**
 * Unpacked JavaScript per browser build (bytes). Measured 1.11 MB for Chrome on Nov 29: the official Gemini SDK
 * is bundled twice, in the background (REST) and in the offscreen document (the Live socket; Firefox: the
 * sidebar, whose Live client loads on its own), each context being its own bundle; the budget leaves ~10% for
 * growth. A larger jump should be a decision, not a drift.
 */
export const JS_BUDGET_BYTES = 1_250_000;
/** Where the build puts the OCR files (wxt.config.ts, lib/capture/page/ocr.ts): budgeted apart from the code. */
export const OCR_PREFIX = 'ocr/';
/**
 * The OCR files a text-only model needs (lib/capture/page/ocr.ts), bundled because nothing may be downloaded at run
 * time, and loaded only when such a model answers. Measured Nov 29: 6.02 MB unpacked, 4.07 MB compressed in each
 * store archive: English data `4.0.0_best_int` 2.95 MB (already gzip: stored as is; `4.0.0` would be 11 MB), the
 * SIMD+LSTM WebAssembly core 2.86 MB (1.06 MB compressed), its loader and tesseract.js's worker 0.2 MB of vendored
 * JavaScript (not counted in JS_BUDGET_BYTES: it runs only in the OCR Worker), the licence. ~5% over that, so a
 * second language or the full core is a decision, not a drift.
 */
export const OCR_BUDGET_BYTES = { compressed: 4_300_000, unpacked: 6_350_000 } as const;
/** The Chrome permissions Sightline needs (README "Privacy" says why each). Anything more fails the check. */
const CHROME_PERMISSIONS = ['storage', 'sidePanel', 'offscreen', 'tabCapture', 'activeTab', 'tabs'];
/** The languages the panel ships in (locales/*.yml); each must reach both stores' archives. */
export const LOCALES = ['en', 'de'];
/** Chrome Web Store and Firefox Add-ons icon sizes. */
const ICON_SIZES = { chrome: ['16', '32', '48', '128'], firefox: ['48', '96'] };

export interface StoreReport {
  /** One line per figure, for people. */
  lines: string[];
  /** Each failed check, as a sentence. Empty when the archives are fit for the stores. */
  problems: string[];
}

interface Manifest {
  manifest_version?: number;
  name?: string;
  description?: string;
  default_locale?: string;
  action?: { default_title?: string };
  commands?: Record<string, { description?: string }>;
  key?: string;
  icons?: Record<string, string>;
  permissions?: string[];
  host_permissions?: string[];
  browser_specific_settings?: { gecko?: { id?: string; strict_min_version?: string; data_collection_permissions?: { required?: string[] } } };
  content_security_policy?: { extension_pages?: string };
}

const kindOf = (path: string) => (/-chrome\.zip$/.test(path) ? 'chrome' : /-firefox\.zip$/.test(path) ? 'firefox' : 'sources');

/** Reads and checks each archive (paths from buildStoreZips). Never throws for a failed check: it lists it. */
export async function checkStoreZips(paths: string[]): Promise<StoreReport> {
  const lines: string[] = [];
  const problems: string[] = [];
  for (const kind of ['chrome', 'firefox', 'sources'] as const) {
    if (!paths.some((p) => kindOf(p) === kind)) problems.push(`The ${kind} archive is missing.`);
  }
  for (const path of paths) {
    const kind = kindOf(path);
    const raw = readFileSync(path);
    const ocr = ocrEntries(raw);
    const bytes = statSync(path).size - ocr.compressed;
    const budget = ZIP_BUDGET_BYTES[kind];
    lines.push(`${basename(path)}: ${(bytes / 1000).toFixed(1)} kB without the OCR files (budget ${(budget / 1000).toFixed(0)} kB)`);
    if (bytes > budget) problems.push(`${basename(path)} is ${bytes} bytes without the OCR files, over its budget of ${budget}.`);
    if (kind !== 'sources') checkOcr(kind, ocr, lines, problems);
    const zip = await JSZip.loadAsync(raw);
    const names = Object.keys(zip.files).filter((n) => !zip.files[n]!.dir);
    if (kind === 'sources') {
      checkSources(names, problems);
      continue;
    }
    const manifest = JSON.parse(await zip.file('manifest.json')!.async('string')) as Manifest;
    checkManifest(kind, manifest, names, problems);
    await checkLocales(kind, manifest, zip, problems);
    let js = 0;
    for (const name of names.filter((n) => /\.(js|html|json)$/.test(n))) {
      const text = await zip.file(name)!.async('string');
      if (name.endsWith('.js') && !name.startsWith(OCR_PREFIX)) js += text.length;
      if (text.includes(DEV_KEY_PREFIX)) problems.push(`${kind}: ${name} carries the development key.`);
      if (/AIza[0-9A-Za-z_-]{30,}/.test(text)) problems.push(`${kind}: ${name} contains something that looks like a Google API key.`);
    }
    lines.push(`  ${kind} JavaScript unpacked: ${(js / 1000).toFixed(1)} kB (budget ${(JS_BUDGET_BYTES / 1000).toFixed(0)} kB)`);
    if (js > JS_BUDGET_BYTES) problems.push(`${kind}: ${js} bytes of JavaScript, over the budget of ${JS_BUDGET_BYTES}.`);
  }
  return { lines, problems };
}

/** The OCR files of an archive: how many, and their bytes compressed and unpacked (from the zip's central directory). */
interface OcrEntries {
  files: number;
  compressed: number;
  unpacked: number;
}

/**
 * Sums the entries under OCR_PREFIX from the archive's central directory (APPNOTE.TXT 4.3.12, 4.3.16): JSZip does
 * not expose compressed sizes. An archive without an end-of-central-directory record counts none.
 */
function ocrEntries(zip: Buffer): OcrEntries {
  const out = { files: 0, compressed: 0, unpacked: 0 };
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) return out;
  let at = zip.readUInt32LE(end + 16);
  const count = zip.readUInt16LE(end + 10);
  for (let i = 0; i < count && zip.readUInt32LE(at) === 0x02014b50; i++) {
    const nameLength = zip.readUInt16LE(at + 28);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    if (name.startsWith(OCR_PREFIX) && !name.endsWith('/')) {
      out.files++;
      out.compressed += zip.readUInt32LE(at + 20);
      out.unpacked += zip.readUInt32LE(at + 24);
    }
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return out;
}

/** The OCR files are in the archive (a text-only model needs them; nothing is downloaded) and within their budget. */
function checkOcr(kind: 'chrome' | 'firefox', ocr: OcrEntries, lines: string[], problems: string[]): void {
  const { compressed, unpacked } = OCR_BUDGET_BYTES;
  lines.push(
    `  ${kind} OCR files: ${ocr.files}, ${(ocr.compressed / 1e6).toFixed(2)} MB compressed (budget ${(compressed / 1e6).toFixed(2)} MB), ` +
      `${(ocr.unpacked / 1e6).toFixed(2)} MB unpacked (budget ${(unpacked / 1e6).toFixed(2)} MB)`,
  );
  if (ocr.files < 5) problems.push(`${kind}: the OCR files are missing (${ocr.files} of 5 under ${OCR_PREFIX}).`);
  if (ocr.compressed > compressed) problems.push(`${kind}: the OCR files are ${ocr.compressed} bytes compressed, over their budget of ${compressed}.`);
  if (ocr.unpacked > unpacked) problems.push(`${kind}: the OCR files are ${ocr.unpacked} bytes unpacked, over their budget of ${unpacked}.`);
}

function checkManifest(kind: 'chrome' | 'firefox', m: Manifest, names: string[], problems: string[]): void {
  if (m.manifest_version !== 3) problems.push(`${kind}: manifest_version is ${m.manifest_version}, not 3.`);
  if (m.key) problems.push(`${kind}: the manifest has a "key"; the store assigns the id.`);
  if (!m.content_security_policy?.extension_pages?.includes("script-src 'self'")) problems.push(`${kind}: no strict extension_pages CSP.`);
  for (const size of ICON_SIZES[kind]) {
    const icon = m.icons?.[size];
    if (!icon || !names.includes(icon)) problems.push(`${kind}: no ${size} px icon in the archive.`);
  }
  if (kind === 'chrome') {
    const extra = (m.permissions ?? []).filter((p) => !CHROME_PERMISSIONS.includes(p));
    if (extra.length) problems.push(`chrome: permissions not on the reviewed list: ${extra.join(', ')}.`);
    if (m.host_permissions?.length) problems.push(`chrome: host permissions ${m.host_permissions.join(', ')} are not needed (tabCapture works from the click).`);
  } else {
    const gecko = m.browser_specific_settings?.gecko;
    if (!gecko?.id) problems.push('firefox: no browser_specific_settings.gecko.id.');
    if (!gecko?.data_collection_permissions?.required?.length) problems.push('firefox: no data_collection_permissions.');
    if (!gecko?.strict_min_version) problems.push('firefox: no strict_min_version.');
  }
}

/**
 * Every language is in the archive (`_locales/<lang>/messages.json`), and each `__MSG_…__` in the manifest
 * (name, description, toolbar title, command) names a message that every language has: a store shows the
 * raw reference, or rejects the package, otherwise.
 */
async function checkLocales(kind: 'chrome' | 'firefox', m: Manifest, zip: JSZip, problems: string[]): Promise<void> {
  if (m.default_locale !== 'en') problems.push(`${kind}: default_locale is ${m.default_locale ?? 'missing'}, not en.`);
  const messages = new Map<string, Set<string>>();
  for (const locale of LOCALES) {
    const file = zip.file(`_locales/${locale}/messages.json`);
    if (!file) {
      problems.push(`${kind}: _locales/${locale}/messages.json is missing.`);
      continue;
    }
    try {
      const json = JSON.parse(await file.async('string')) as Record<string, { message?: unknown }>;
      // Message names are case-insensitive to the browser.
      messages.set(locale, new Set(Object.keys(json).filter((k) => typeof json[k]?.message === 'string').map((k) => k.toLowerCase())));
    } catch {
      problems.push(`${kind}: _locales/${locale}/messages.json is not valid JSON.`);
    }
  }
  const fields: [string, string | undefined][] = [
    ['name', m.name],
    ['description', m.description],
    ['action.default_title', m.action?.default_title],
    ...Object.entries(m.commands ?? {}).map(([id, c]): [string, string | undefined] => [`commands.${id}.description`, c.description]),
  ];
  for (const [field, value] of fields) {
    const ref = /^__MSG_(\w+)__$/.exec(value ?? '');
    if (!ref) {
      if (field === 'name' || field === 'description') problems.push(`${kind}: the manifest's ${field} is not a __MSG_…__ reference (${value ?? 'missing'}).`);
      continue;
    }
    for (const [locale, keys] of messages) {
      if (!keys.has(ref[1]!.toLowerCase())) problems.push(`${kind}: ${field} is ${value}, which _locales/${locale}/messages.json does not have.`);
    }
  }
}

function checkSources(names: string[], problems: string[]): void {
  for (const needed of ['package.json', 'package-lock.json', 'wxt.config.ts', 'README.md']) {
    if (!names.includes(needed)) problems.push(`sources: ${needed} is missing; reviewers rebuild from it.`);
  }
  const leaked = names.filter((n) => /(^|\/)(\.env|node_modules|\.output)(\/|$)/.test(n));
  if (leaked.length) problems.push(`sources: must not contain ${leaked.slice(0, 3).join(', ')}.`);
}
