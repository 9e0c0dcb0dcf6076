// The proxy contract on the Node adapter, plus what only Node shows: startup checks, logs, drain.
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProxyConfig, startNodeProxy } from '../../proxy/node.ts';
import type { LogLine } from '../../proxy/context.ts';
import { startFakeGemini } from '../support/fake-gemini.ts';
import { baseEnv, describeProxyContract, REAL_KEY, sdk, TOKEN } from './proxy-contract.ts';
import { describeProxyEdges } from './proxy-edges.ts';

const startOnNode = async (env: Record<string, string>) => startNodeProxy(loadProxyConfig({ ...env, PORT: '0' }));

describeProxyContract('Node', startOnNode);
describeProxyEdges('Node', startOnNode);

describe('Node proxy process', () => {
  const fakes: { close(): Promise<void> }[] = [];
  afterAll(async () => { for (const f of fakes) await f.close(); });

  it('refuses to start without GEMINI_API_KEY and says where to get one', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'proxy-nokey-'));
    const env = { PATH: process.env.PATH ?? '', PROXY_TOKENS: 'x' };
    const child = spawn(process.execPath, [join(import.meta.dirname, '../../proxy/node.ts')], { cwd, env });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).not.toBe(0);
    expect(stderr).toContain('GEMINI_API_KEY');
    expect(stderr).toContain('Google AI Studio');
  });

  it('refuses an allowed origin written with a path or trailing slash, and says how to write it', () => {
    const env = { GEMINI_API_KEY: 'k', PROXY_TOKENS: 't' };
    expect(() => loadProxyConfig({ ...env, PROXY_ALLOWED_ORIGINS: 'chrome-extension://abcdefgh/' }))
      .toThrow('PROXY_ALLOWED_ORIGINS: "chrome-extension://abcdefgh/" is not an origin (a browser sends no path or trailing slash). Write "chrome-extension://abcdefgh".');
    expect(() => loadProxyConfig({ ...env, PROXY_ALLOWED_ORIGINS: 'abcdefgh' })).toThrow(/"abcdefgh" is not an origin\. Write scheme:\/\/host/);
    expect(loadProxyConfig({ ...env, PROXY_ALLOWED_ORIGINS: ' chrome-extension://abc , moz-extension://*, http://127.0.0.1:5173' }).allowedOrigins)
      .toEqual(['chrome-extension://abc', 'moz-extension://*', 'http://127.0.0.1:5173']);
  });

  it('refuses other settings that could never work, each with the spelling that would (found by a newcomer)', () => {
    const env = { GEMINI_API_KEY: 'k', PROXY_TOKENS: 't' };
    const refusals: Array<[Record<string, string>, string]> = [
      [{ PORT: '99999' }, 'PORT=99999 is not a port: use a whole number from 1 to 65535 (0 picks a free one).'],
      [{ PORT: '8787.5' }, 'PORT=8787.5 is not a port'],
      [{ PORT: '1e3' }, 'PORT=1e3 is not a port'],
      [{ GEMINI_BASE_URL: 'not-a-url' }, 'GEMINI_BASE_URL=not-a-url is not an http(s) address. Leave it unset for Google (https://generativelanguage.googleapis.com).'],
      [{ GEMINI_BASE_URL: 'generativelanguage.googleapis.com' }, 'is not an http(s) address'],
      [{ PROXY_MODELS: 'models/gemini-2.5-flash' }, 'PROXY_MODELS: "models/gemini-2.5-flash" has a slash, so no request could match it. Write "gemini-2.5-flash".'],
      [{ PROXY_ALLOWED_TOOLS: 'google-search' }, 'PROXY_ALLOWED_TOOLS: "google-search" is not a field name Gemini uses. Write names like googleSearch or url_context.'],
    ];
    for (const [extra, says] of refusals) expect(() => loadProxyConfig({ ...env, ...extra }), JSON.stringify(extra)).toThrow(says);
    const ok = loadProxyConfig({ ...env, PORT: '0', GEMINI_BASE_URL: 'http://127.0.0.1:9999/', PROXY_ALLOWED_TOOLS: 'google_search,urlContext' });
    expect([ok.port, ok.geminiBaseUrl, ok.requestPolicy.allowedTools]).toEqual([0, 'http://127.0.0.1:9999', ['googleSearch', 'urlContext']]);
  });

  it('logs one JSON line per request with counts and a token digest, never bodies, images, keys or tokens', async () => {
    const fake = await startFakeGemini();
    fakes.push(fake);
    const lines: LogLine[] = [];
    const proxy = await startNodeProxy(loadProxyConfig({ ...baseEnv(fake), PORT: '0' }), { log: (l) => lines.push(l) });
    try {
      const secretImage = Buffer.from('SECRET-PIXELS').toString('base64');
      const stream = await sdk(proxy.url).models.generateContentStream({
        model: 'gemini-flash-latest',
        contents: [{ role: 'user', parts: [{ inlineData: { mimeType: 'image/jpeg', data: secretImage } }, { text: 'private question' }] }],
      });
      for await (const _ of stream) void _;
      await expect.poll(() => lines.length).toBeGreaterThan(0);
      const line = lines.at(-1)!;
      expect(line).toMatchObject({ route: 'streamGenerateContent', status: 200, model: 'gemini-flash-latest', end: 'done' });
      expect(line.promptTokens).toBeGreaterThan(258);
      expect(line.token).toMatch(/^[0-9a-f]{12}$/);
      const text = JSON.stringify(lines);
      for (const secret of [secretImage, 'private question', REAL_KEY, TOKEN, 'You asked']) expect(text).not.toContain(secret);
    } finally { await proxy.close(); }
  });

  it('drains an open stream on close instead of cutting it', async () => {
    const fake = await startFakeGemini();
    fakes.push(fake);
    fake.respond(() => ({ text: ['slow ', 'but ', 'complete'], delayMs: 150 }));
    const proxy = await startNodeProxy(loadProxyConfig({ ...baseEnv(fake), PORT: '0' }));
    const stream = await sdk(proxy.url).models.generateContentStream({ model: 'gemini-flash-latest', contents: 'x' });
    const closed = proxy.close(10);
    const chunks: string[] = [];
    for await (const c of stream) chunks.push(c.text ?? '');
    await closed;
    expect(chunks.join('')).toBe('slow but complete');
    await expect(fetch(`${proxy.url}/healthz`)).rejects.toThrow();
  });
});
