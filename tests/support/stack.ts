/** The server side of an end-to-end test: the stand-in Gemini upstream behind the real proxy. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startFakeGemini, type FakeGemini } from './fake-gemini.ts';
import { loadProxyConfig, startNodeProxy, type RunningProxy } from '../../proxy/node.ts';
import { DEV_EXTENSION_ID } from '../../lib/core/extension-ids.ts';
import { startFakeLive, type FakeLiveServer } from './fake-live.ts';
import { startUpstreamFront } from './upstream-front.ts';

export const TEST_TOKEN = 'e2e-access-token';
export const TEST_KEY = 'test-gemini-key-that-only-the-proxy-holds';

export interface Stack {
  gemini: FakeGemini;
  /** The stand-in Live server, the proxy's Live upstream (startStack with `{ live: true }`). */
  live?: FakeLiveServer;
  /** The running proxy; replaced by restartProxy(). */
  proxy: RunningProxy;
  /**
   * Kills the proxy as a crash would (open streams cut mid-answer, no drain), then starts a fresh one
   * with the same settings on the same port, so the extension's proxy URL stays right.
   */
  restartProxy(): Promise<RunningProxy>;
  close(): Promise<void>;
}

export async function startStack(env: Record<string, string> = {}, opts: { live?: boolean } = {}): Promise<Stack> {
  const gemini = await startFakeGemini();
  const live = opts.live ? await startFakeLive({ apiKey: TEST_KEY, autoAnswer: false }) : undefined;
  // One upstream address for the proxy, as Google's: REST to the stand-in Gemini, Live sockets to the stand-in Live server.
  const front = live ? await startUpstreamFront(gemini.url, live.url) : undefined;
  const settings = {
    GEMINI_API_KEY: TEST_KEY,
    PROXY_TOKENS: TEST_TOKEN,
    GEMINI_BASE_URL: front?.url ?? gemini.url,
    PROXY_ALLOWED_ORIGINS: `chrome-extension://${DEV_EXTENSION_ID},moz-extension://*`,
    PORT: '0',
    PROXY_LOG: 'off',
    ...env,
  };
  const stack: Stack = {
    gemini,
    ...(live ? { live } : {}),
    proxy: await startNodeProxy(loadProxyConfig(settings)),
    async restartProxy() {
      const { port } = stack.proxy.server.address() as AddressInfo;
      stack.proxy.server.closeAllConnections();
      await stack.proxy.close(0);
      stack.proxy = await startNodeProxy(loadProxyConfig({ ...settings, PORT: String(port) }));
      return stack.proxy;
    },
    async close() {
      await stack.proxy.close();
      await front?.close();
      await live?.close();
      await gemini.close();
    },
  };
  return stack;
}

/** A page on 127.0.0.1 that fills the window with one colour; `?c=<css colour>` picks it. */
export async function startColorSite(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const color = new URL(req.url ?? '/', 'http://x').searchParams.get('c') ?? 'rgb(220,0,0)';
    res.setHeader('content-type', 'text/html');
    res.end(`<!doctype html><title>Colour page</title>
<style>html,body{margin:0;height:100%;background:${color.replace(/[^a-z0-9(),#]/gi, '')}}</style>
<body><script>window.setColor = (c) => { document.body.style.background = c; document.documentElement.style.background = c; };</script></body>`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((r) => { server.close(() => r()); server.closeAllConnections(); }),
  };
}
