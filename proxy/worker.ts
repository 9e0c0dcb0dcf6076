// Cloudflare Workers adapter: the same handler, with the platform's own limits. Requests per minute
// use the Rate Limiting binding (RATE_LIMITER), tokens per day a Durable Object per token and UTC day
// (TOKEN_BUDGET). Settings are Workers variables; GEMINI_API_KEY and PROXY_TOKENS are secrets.
import { tokenChecker } from './auth.ts';
import { loadProxyConfig, type EnvVars } from './config.ts';
import { NO_LOG, type LogLine, type ProxyServices } from './context.ts';
import { createProxyHandler } from './handler.ts';
import { bindingRequestLimiter, memoryRequestLimiter, MemoryTokenBudget, type RateLimitBinding, type TokenBudget } from './limits.ts';
import { Metrics } from './metrics.ts';
import { workerLivePlatform } from './live-worker.ts';

/** The slice of the Durable Object API this file uses (no @cloudflare/workers-types dependency). */
interface DurableObjectStub { fetch(input: string, init?: RequestInit): Promise<Response> }
interface DurableObjectNamespace { idFromName(name: string): unknown; get(id: unknown): DurableObjectStub }
interface DurableObjectState {
  storage: {
    get<T>(key: string): Promise<T | undefined>;
    put(key: string, value: unknown): Promise<void>;
    deleteAll(): Promise<void>;
    setAlarm(at: number): Promise<void>;
  };
  blockConcurrencyWhile<T>(fn: () => Promise<T>): Promise<T>;
}

/** The Worker's `env`: the settings as variables and secrets, plus the two bindings of wrangler.toml. */
export interface WorkerEnv extends EnvVars {
  RATE_LIMITER?: RateLimitBinding & EnvVars[string];
  TOKEN_BUDGET?: DurableObjectNamespace & EnvVars[string];
  /** The RATE_LIMITER binding's period in seconds (as set in wrangler.toml), for Retry-After. */
  PROXY_RPM_PERIOD?: string;
}

/** One counter: the tokens one access token spent on one UTC day. Deletes itself two days later. */
export class TokenBudgetObject {
  private state: DurableObjectState;
  constructor(state: DurableObjectState) { this.state = state; }

  async fetch(request: Request): Promise<Response> {
    if (request.method === 'POST') {
      const add = Number(await request.text()) || 0;
      const spent = (await this.state.storage.get<number>('spent')) ?? 0;
      await this.state.storage.put('spent', spent + add);
      if (spent === 0) await this.state.storage.setAlarm(Date.now() + 2 * 86_400_000);
      return new Response(String(spent + add));
    }
    return new Response(String((await this.state.storage.get<number>('spent')) ?? 0));
  }

  async alarm(): Promise<void> { await this.state.storage.deleteAll(); }
}

class DurableTokenBudget implements TokenBudget {
  private ns: DurableObjectNamespace;
  constructor(ns: DurableObjectNamespace) { this.ns = ns; }
  private stub(key: string, day: string) { return this.ns.get(this.ns.idFromName(`${key}:${day}`)); }
  async spent(key: string, day: string) { return Number(await (await this.stub(key, day).fetch('https://budget/')).text()); }
  async add(key: string, day: string, tokens: number) {
    await this.stub(key, day).fetch('https://budget/', { method: 'POST', body: String(tokens) });
  }
}

// Bindings and variables are fixed for an isolate's life, so services are built once per env object.
const servicesByEnv = new WeakMap<object, ProxyServices>();

function servicesFor(env: WorkerEnv): ProxyServices {
  let services = servicesByEnv.get(env);
  if (services) return services;
  const config = loadProxyConfig(env);
  services = {
    config,
    tokens: tokenChecker(config.tokens),
    // Without the binding (not configured) fall back to a per-isolate store, which undercounts.
    requestLimiter: env.RATE_LIMITER
      ? bindingRequestLimiter(env.RATE_LIMITER, Number(env.PROXY_RPM_PERIOD ?? 60))
      : memoryRequestLimiter(config.requestsPerMinute),
    budget: env.TOKEN_BUDGET ? new DurableTokenBudget(env.TOKEN_BUDGET) : new MemoryTokenBudget(),
    metrics: new Metrics(),
    log: config.log === 'off' ? NO_LOG : (line: LogLine) => console.log(JSON.stringify(line)),
    fetch: (input, init) => fetch(input, init),
    live: workerLivePlatform(),
  };
  servicesByEnv.set(env, services);
  return services;
}

const handler = createProxyHandler((env) => servicesFor(env as WorkerEnv));

export default { fetch: handler.fetch };
