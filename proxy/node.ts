// Node adapter: `npm run proxy` (Node 22), or in-process via startNodeProxy() for tests and `npm start`.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { pathToFileURL } from 'node:url';
import { createAdaptorServer } from '@hono/node-server';
import { tokenChecker } from './auth.ts';
import { ConfigError, loadProxyConfig as parseConfig, type EnvVars, type ProxyConfig } from './config.ts';
import { NO_LOG, type LogLine, type ProxyServices } from './context.ts';
import { createProxyHandler } from './handler.ts';
import { memoryRequestLimiter, MemoryTokenBudget } from './limits.ts';
import { Metrics } from './metrics.ts';
import { nodeUpstreamFetch } from './node-fetch.ts';
import { nodeLive } from './live-node.ts';

export type { ProxyConfig } from './config.ts';
export { ConfigError } from './config.ts';

/** process.env over the `.env` file in `dir` (the environment wins). */
export function readEnv(dir = process.cwd(), env: NodeJS.ProcessEnv = process.env): EnvVars {
  const file = join(dir, '.env');
  const fromFile = existsSync(file) ? (parseEnv(readFileSync(file, 'utf8')) as EnvVars) : {};
  return { ...fromFile, ...env };
}

/** Settings from the environment and `.env`; throws ConfigError saying what to set. */
export function loadProxyConfig(env: EnvVars = readEnv(), opts?: { requireSecrets?: boolean }): ProxyConfig {
  return parseConfig(env, opts);
}

/** Test and benchmark hooks of the Node adapter. */
export interface NodeProxyOptions {
  /** Where log lines go; defaults to JSON lines on stdout (or nowhere with PROXY_LOG=off). */
  log?: (line: LogLine) => void;
  /** Upstream fetch, for tests that want to watch it; defaults to the global fetch. */
  fetch?: typeof fetch;
}

/** The Node platform's services for `config`: in-memory limits and budget, stdout JSON log, node:http upstream. */
export function nodeServices(config: ProxyConfig, opts: NodeProxyOptions = {}): ProxyServices {
  const stdoutLog = (line: LogLine) => process.stdout.write(JSON.stringify(line) + '\n');
  return {
    config,
    tokens: tokenChecker(config.tokens),
    requestLimiter: memoryRequestLimiter(config.requestsPerMinute),
    budget: new MemoryTokenBudget(),
    metrics: new Metrics(),
    log: opts.log ?? (config.log === 'off' ? NO_LOG : stdoutLog),
    fetch: opts.fetch ?? nodeUpstreamFetch(),
  };
}

/** A Node proxy that is listening. */
const noFlush = () => {};

export interface RunningProxy {
  url: string;
  server: Server;
  services: ProxyServices;
  /** Stops accepting, lets open streams finish for up to `drainSeconds`, then cuts the rest. */
  close(drainSeconds?: number): Promise<void>;
}

/**
 * A listen failure in words (ConfigError), so `npm start` and `npm run proxy` print one sentence instead of a
 * stack: EADDRINUSE (the port is taken), EADDRNOTAVAIL/ENOTFOUND (HOST is not this machine's), EACCES (a port
 * below 1024 without privileges). Other errors pass through unchanged.
 */
function listenError(err: NodeJS.ErrnoException, config: ProxyConfig): Error {
  const where = `${config.host}:${config.port}`;
  switch (err.code) {
    case 'EADDRINUSE':
      return new ConfigError(`port ${config.port} is already in use on ${config.host} (is another proxy or npm start running?). Stop it, or set PORT to a free port in .env.`);
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new ConfigError(`HOST ${config.host} is not an address of this machine. Use 127.0.0.1 (this machine only) or 0.0.0.0 (every interface).`);
    case 'EACCES':
      return new ConfigError(`not allowed to listen on ${where}: ports below 1024 need privileges. Use a port such as 8787 behind your TLS front.`);
    default:
      return err;
  }
}

/** Starts the proxy on `config.host`:`config.port` (0 = a free port); resolves once it listens, rejects if it cannot. */
export async function startNodeProxy(config: ProxyConfig, opts: NodeProxyOptions = {}): Promise<RunningProxy> {
  const live = nodeLive(config.maxBodyBytes);
  const services: ProxyServices = { ...nodeServices(config, opts), live: live.platform };
  const handler = createProxyHandler(() => services);
  // createAdaptorServer = createServer(getRequestListener(fetch)) plus WebSocket upgrades for the Live relay.
  // @hono/node-server flushes a streamed answer's headers on their own before the first chunk: one more write
  // (and packet) ahead of the first byte the client waits for. Let them leave with the first chunk instead, as
  // a plain pipe's do (measured: the first chunk reaches the client ~25 us sooner).
  const createFlushless = ((options: object, listener: (req: IncomingMessage, res: ServerResponse) => void) =>
    createServer(options, (req, res) => {
      res.flushHeaders = noFlush;
      listener(req, res);
    })) as unknown as typeof createServer;
  const server = createAdaptorServer({ fetch: handler.fetch, websocket: { server: live.server }, createServer: createFlushless }) as Server;
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    const failed = (err: NodeJS.ErrnoException) => reject(listenError(err, config));
    server.once('error', failed);
    server.listen(config.port, config.host, () => { server.off('error', failed); resolve(); });
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    url: `http://${host}:${port}`,
    server,
    services,
    close(drainSeconds = 0) {
      return new Promise<void>((resolve) => {
        // A Live socket never finishes on its own: close it now; its client resumes the session elsewhere.
        live.closeAll(1001, 'The proxy is shutting down. Reconnect to resume.');
        const cut = setTimeout(() => server.closeAllConnections(), drainSeconds * 1000);
        // Keep-alive sockets turn idle as their streams finish; close them as they do.
        const sweep = setInterval(() => server.closeIdleConnections(), 50);
        server.close(() => { clearTimeout(cut); clearInterval(sweep); resolve(); });
        server.closeIdleConnections();
      });
    },
  };
}

async function main(): Promise<void> {
  let config: ProxyConfig;
  let proxy: RunningProxy;
  try {
    config = loadProxyConfig();
    proxy = await startNodeProxy(config);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`Sightline proxy cannot start: ${err.message}`);
    process.exit(1);
  }
  console.error(
    `Sightline proxy on ${proxy.url} -> ${config.geminiBaseUrl} | models: ${config.models.join(', ')} | ` +
      `origins: ${config.allowedOrigins.join(', ') || '(none)'} | ${config.tokens.length} access token(s)`,
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.error(`${signal}: draining ${proxy.services.metrics.openStreams} open stream(s) for up to ${config.drainSeconds} s`);
    void proxy.close(config.drainSeconds).then(() => process.exit(0));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
