// Runs proxy/worker.ts in the local Workers runtime (workerd via Miniflare), offline. The bundle is
// what `wrangler deploy` would upload (built from proxy/wrangler.toml with --dry-run), and the
// bindings mirror that file, so the toml, the bundle and the runtime are all exercised.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Miniflare } from 'miniflare';

const ROOT = join(import.meta.dirname, '../..');
export const OFFLINE_ENV = { WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' };

/** Bundles the Worker exactly as a deploy would; returns the bundle's path. */
export function bundleWorker(): string {
  const outdir = mkdtempSync(join(tmpdir(), 'proxy-worker-'));
  execFileSync(join(ROOT, 'node_modules/.bin/wrangler'),
    ['deploy', '--dry-run', '--outdir', outdir, '-c', join(ROOT, 'proxy/wrangler.toml')],
    { cwd: ROOT, env: { ...process.env, ...OFFLINE_ENV }, stdio: 'pipe' });
  return join(outdir, 'worker.js');
}

function tomlValue(toml: string, key: string): string {
  const m = new RegExp(`^${key}\\s*=\\s*"([^"]*)"`, 'm').exec(toml);
  if (!m) throw new Error(`${key} missing from proxy/wrangler.toml`);
  return m[1]!;
}

/** Starts the bundle with these variables; PROXY_RPM becomes the Rate Limiting binding's limit, as in wrangler.toml. */
export async function startWorker(bundle: string, env: Record<string, string>): Promise<{ url: string; close(): Promise<void> }> {
  const toml = readFileSync(join(ROOT, 'proxy/wrangler.toml'), 'utf8');
  const mf = new Miniflare({
    modules: true,
    scriptPath: bundle,
    modulesRoot: dirname(bundle),
    compatibilityDate: tomlValue(toml, 'compatibility_date'),
    bindings: { PROXY_RPM_PERIOD: '60', ...env },
    ratelimits: { RATE_LIMITER: { simple: { limit: Number(env.PROXY_RPM ?? 60), period: 60 } } },
    durableObjects: { TOKEN_BUDGET: 'TokenBudgetObject' },
    host: '127.0.0.1',
    port: 0,
  });
  const url = (await mf.ready).toString().replace(/\/$/, '');
  return { url, close: () => mf.dispose() };
}
