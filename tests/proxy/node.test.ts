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
