/**
 * The key stays home: build the extension for every target with the proxy's Gemini key and an access
 * token in the environment, then read every output file. A store build carries neither the key nor the
 * token (nor the developer's proxy URL); a development build carries the token it was given (that is what
 * it is for), which also proves the scan can find one. No build ever carries the Gemini key.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);

// Distinctive values no source file contains, so any hit comes from the build environment.
// Shaped like a key but not in Google's format, so secret scanners do not flag the repository.
const GEMINI_KEY = 'test-gemini-key-9f3b2c7e1d5a0b4c8e6f2a9d3c1b7e5';
const PROXY_TOKEN = 'sl-token-keyscan-4e8a1c6b9d2f7e3a5c0b8d1f';
const PROXY_URL = 'https://proxy-keyscan-7c2e9a.example.net';

const TARGETS = [
  { name: 'chrome-mv3', args: ['build'] },
  { name: 'firefox-mv3', args: ['build', '-b', 'firefox'] },
] as const;

/** Each secret as it might be written into a bundle: raw, base64, URL-encoded. */
function encodings(secret: string): string[] {
  return [secret, Buffer.from(secret).toString('base64'), encodeURIComponent(secret)];
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name));
}

/** Every output file that contains `secret` in any encoding, relative to `dir`. */
function filesContaining(dir: string, secret: string): string[] {
  const needles = encodings(secret).map((s) => Buffer.from(s));
  return filesUnder(dir).filter((file) => {
    const bytes = readFileSync(file);
    return needles.some((n) => bytes.includes(n));
  }).map((f) => relative(dir, f));
}

async function build(outDir: string, store: boolean): Promise<void> {
  const env = {
    ...process.env,
    SIGHTLINE_OUT_DIR: outDir,
    SIGHTLINE_STORE: store ? '1' : '',
    SIGHTLINE_PROXY_URL: PROXY_URL,
    SIGHTLINE_PROXY_TOKEN: PROXY_TOKEN,
    GEMINI_API_KEY: GEMINI_KEY,
    // Also under the prefixes a bundler exposes to client code by default.
    VITE_GEMINI_API_KEY: GEMINI_KEY,
    WXT_GEMINI_API_KEY: GEMINI_KEY,
  };
  for (const t of TARGETS) await run('npx', ['wxt', ...t.args], { env, cwd: process.cwd() });
}

let root: string;
const storeDir = () => join(root, 'store');
const devDir = () => join(root, 'dev');

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'sightline-keyscan-'));
  await build(storeDir(), true);
  await build(devDir(), false);
}, 120_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('the key stays home', () => {
  it.each(TARGETS.map((t) => t.name))('a store build for %s carries neither the Gemini key, nor the token, nor the proxy URL', (target) => {
    const dir = join(storeDir(), target);
    expect(filesUnder(dir).length, `files in ${dir}`).toBeGreaterThan(3);
    expect(filesUnder(dir).some((f) => f.endsWith('manifest.json'))).toBe(true);
    expect(filesContaining(dir, GEMINI_KEY)).toEqual([]);
    expect(filesContaining(dir, PROXY_TOKEN)).toEqual([]);
    expect(filesContaining(dir, PROXY_URL)).toEqual([]);
  });

  it.each(TARGETS.map((t) => t.name))('a development build for %s carries the token it was given, and still never the Gemini key', (target) => {
    const dir = join(devDir(), target);
    // The scan finds a secret when one is there: the dev build bakes the token into its default settings.
    expect(filesContaining(dir, PROXY_TOKEN).length).toBeGreaterThan(0);
    expect(filesContaining(dir, GEMINI_KEY)).toEqual([]);
  });
});
