/**
 * Checks of the store archives `npm run zip` makes: what a store reviewer (or a leaked secret) would catch,
 * caught here first. Used by scripts/zip.ts and by tests/e2e/store-package.test.ts.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import JSZip from 'jszip';

/** The development build's public key (wxt.config.ts): a store build must not carry it. */
const DEV_KEY_PREFIX = 'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEArJS0';
/** Compressed size budgets per archive (bytes); today's sizes are printed beside them. */
export const ZIP_BUDGET_BYTES: Record<'chrome' | 'firefox' | 'sources', number> = {
  chrome: 300_000,
  firefox: 300_000,
  sources: 1_500_000,
};
/**
 * Unpacked JavaScript per browser build (bytes). Measured 1.11 MB for Chrome on Nov 29: the official Gemini SDK
 * is bundled twice, in the background (REST) and in the offscreen document (the Live socket; Firefox: the
 * sidebar, whose Live client loads on its own), each context being its own bundle; the budget leaves ~10% for growth. A larger jump should be a decision, not a drift.
 */
export const JS_BUDGET_BYTES = 1_250_000;
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
    const bytes = statSync(path).size;
    const budget = ZIP_BUDGET_BYTES[kind];
    lines.push(`${basename(path)}: ${(bytes / 1000).toFixed(1)} kB (budget ${(budget / 1000).toFixed(0)} kB)`);
    if (bytes > budget) problems.push(`${basename(path)} is ${bytes} bytes, over its budget of ${budget}.`);
    const zip = await JSZip.loadAsync(readFileSync(path));
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
      if (name.endsWith('.js')) js += text.length;
      if (text.includes(DEV_KEY_PREFIX)) problems.push(`${kind}: ${name} carries the development key.`);
      if (/AIza[0-9A-Za-z_-]{30,}/.test(text)) problems.push(`${kind}: ${name} contains something that looks like a Google API key.`);
    }
    lines.push(`  ${kind} JavaScript unpacked: ${(js / 1000).toFixed(1)} kB (budget ${(JS_BUDGET_BYTES / 1000).toFixed(0)} kB)`);
    if (js > JS_BUDGET_BYTES) problems.push(`${kind}: ${js} bytes of JavaScript, over the budget of ${JS_BUDGET_BYTES}.`);
  }
  return { lines, problems };
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
