// Per-token limits. Requests per minute go through hono-rate-limiter (its MemoryStore on Node, the
// Workers Rate Limiting binding on Cloudflare). Tokens per day are not a hit count, so they are a
// per-UTC-day budget behind a small interface: a Map on Node, a Durable Object on Workers.
import type { MiddlewareHandler } from 'hono';
import { MemoryStore, rateLimiter } from 'hono-rate-limiter';
import { tooManyRequests } from './errors.ts';
import type { ProxyVars } from './context.ts';

/** Gemini tokens spent per access-token digest and UTC day (a Map on Node, a Durable Object on Workers). */
export interface TokenBudget {
  /** Tokens spent today (UTC) by this token digest. */
  spent(tokenKey: string, day: string): Promise<number>;
  add(tokenKey: string, day: string, tokens: number): Promise<void>;
}

/** The UTC day of `now` (ms since the epoch) as YYYY-MM-DD: the budget's key. */
export const utcDay = (now = Date.now()) => new Date(now).toISOString().slice(0, 10);

/** Seconds from `now` (ms since the epoch) to the next UTC midnight, when daily budgets reset. */
export function secondsUntilUtcMidnight(now = Date.now()): number {
  const next = new Date(now);
  next.setUTCHours(24, 0, 0, 0);
  return (next.getTime() - now) / 1000;
}

/** The token budget in one process's memory, forgetting yesterday at the first use of a new UTC day. */
export class MemoryTokenBudget implements TokenBudget {
  private day = '';
  private spentByKey = new Map<string, number>();
  private roll(day: string) {
    if (day !== this.day) { this.day = day; this.spentByKey.clear(); }
  }
  async spent(key: string, day: string) { this.roll(day); return this.spentByKey.get(key) ?? 0; }
  async add(key: string, day: string, tokens: number) {
    this.roll(day);
    this.spentByKey.set(key, (this.spentByKey.get(key) ?? 0) + tokens);
  }
}

type Env = { Variables: ProxyVars };

const keyGenerator = (c: { get(k: 'tokenKey'): string }) => c.get('tokenKey');

/** Node: hono-rate-limiter's in-memory store, one window per minute per token. */
export function memoryRequestLimiter(requestsPerMinute: number): MiddlewareHandler<Env> {
  return rateLimiter<Env>({
    windowMs: 60_000,
    limit: requestsPerMinute,
    standardHeaders: false,
    keyGenerator,
    store: new MemoryStore(),
    handler: (c) => {
      const info = c.get('rateLimit' as never) as { resetTime?: Date } | undefined;
      const wait = info?.resetTime ? (info.resetTime.getTime() - Date.now()) / 1000 : 60;
      return tooManyRequests(
        `This access token made more than ${requestsPerMinute} requests in a minute (the proxy's PROXY_RPM). ` +
          `Wait ${Math.ceil(wait)} s, or ask less often.`,
        wait,
      ) as never;
    },
  });
}

/** The Workers Rate Limiting binding's interface (`[[ratelimits]]` in wrangler.toml). */
export interface RateLimitBinding { limit(o: { key: string }): Promise<{ success: boolean }> }

/** Workers: the platform's own counter, shared by every isolate in the location. */
export function bindingRequestLimiter(binding: RateLimitBinding, periodSeconds: number): MiddlewareHandler<Env> {
  return rateLimiter<Env>({
    binding,
    keyGenerator,
    handler: () =>
      tooManyRequests(
        `This access token made too many requests (the proxy's Workers rate limit, per ${periodSeconds} s). ` +
          `Wait ${periodSeconds} s, or ask less often.`,
        periodSeconds,
      ) as never,
  });
}
