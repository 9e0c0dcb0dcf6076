/**
 * `npm run deploy:proxy [-- --dry-run]`: deploys the proxy to Cloudflare Workers with wrangler, from
 * proxy/wrangler.toml (bindings: the RATE_LIMITER rate limit, the TOKEN_BUDGET Durable Object and its
 * migration). Secrets are never in that file: before the first deploy, `npx wrangler login`, then
 * `npx wrangler secret put GEMINI_API_KEY -c proxy/wrangler.toml` and the same for PROXY_TOKENS
 * (proxy/README.md, "Deploy to Cloudflare Workers"). `--dry-run` bundles and lists the bindings without an
 * account or the network; CI runs it (tests/proxy/deploy.test.ts). Other arguments go to wrangler as they are.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const result = spawnSync(join(ROOT, 'node_modules', '.bin', 'wrangler'), ['deploy', '-c', join(ROOT, 'proxy', 'wrangler.toml'), ...args], {
  cwd: ROOT,
  stdio: 'inherit',
  // No usage metrics from a deploy script; a dry run must not need the network.
  env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
});
process.exit(result.status ?? 1);
