// The proxy as ONE web-standard handler, `fetch(Request, env, ctx) => Response`, shared by the Node
// adapter (node.ts) and the Workers adapter (worker.ts). Routes are a table: the Live API's ephemeral
// tokens (`POST /v1alpha/auth_tokens`) or a WebSocket route are one more row.
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { presentedToken } from './auth.ts';
import { corsHeaders, originAllowed, preflightHeaders } from './cors.ts';
import { geminiError } from './errors.ts';
import { forwardModelCall, startBodyRead } from './forward.ts';
import { listAllowedModels } from './models.ts';
import { relayLive } from './live.ts';
import { mintLiveToken } from './live-tokens.ts';
import { settle, type ProxyEnv, type ProxyServices } from './context.ts';

type Handler = (c: Context<ProxyEnv>) => Response | Promise<Response>;

/** One row of the route table. */
export interface RouteSpec {
  method: 'GET' | 'POST';
  /** Hono path pattern. */
  path: string;
  /** Metrics and log label (a handler may refine it, e.g. to the Gemini method). */
  name: string;
  /** Needs a valid access token, and counts against the token's request limit. */
  auth: boolean;
  handle: Handler;
}

export const routes: RouteSpec[] = [
  { method: 'GET', path: '/healthz', name: 'healthz', auth: false, handle: (c) => c.json({ ok: true }) },
  {
    method: 'GET', path: '/metrics', name: 'metrics', auth: false,
    handle: (c) => new Response(c.get('services').metrics.render(), {
      headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' },
    }),
  },
  // The group matters: with more than one POST route Hono falls back to its TrieRouter, which reads a bare
  // `{v1|v1beta}` as `^v1|v1beta$` and took 'v1' out of 'v1beta' (forwarding v1beta calls to /v1/).
  { method: 'POST', path: '/:version{(?:v1|v1beta)}/models/:call', name: 'model', auth: true, handle: forwardModelCall },
  // Literal paths for the same reason (tests/proxy/models-route.test.ts guards it).
  ...['v1beta', 'v1'].map((v): RouteSpec => ({ method: 'GET', path: `/${v}/models`, name: 'models', auth: true, handle: listAllowedModels })),
  // The Live socket; the SDK's URL has a double slash (`{base}/` + `/ws/...`). It checks its own token (from the URL).
  { method: 'GET', path: '/ws/:rpc', name: 'live', auth: false, handle: relayLive },
  { method: 'GET', path: '//ws/:rpc', name: 'live', auth: false, handle: relayLive },
  { method: 'POST', path: '/v1alpha/auth_tokens', name: 'auth_tokens', auth: true, handle: mintLiveToken },
];

const authenticate: MiddlewareHandler<ProxyEnv> = async (c, next) => {
  const token = presentedToken(c.req.raw.headers);
  if (!token) {
    return geminiError(401, 'UNAUTHENTICATED',
      'No proxy access token. Enter the token your proxy operator gave you in Sightline\'s settings ' +
        '(it is sent as the x-goog-api-key header or Authorization: Bearer).');
  }
  const key = await c.get('services').tokens.check(token);
  if (!key) {
    return geminiError(401, 'UNAUTHENTICATED',
      'This proxy access token is not valid. Check the token in Sightline\'s settings, or ask the proxy operator for a new one.');
  }
  c.set('tokenKey', key);
  c.get('record').tokenKey = key;
  await next();
};

const limitRequests: MiddlewareHandler<ProxyEnv> = (c, next) => c.get('services').requestLimiter(c, next);

/**
 * Builds the handler. `servicesFor(env)` gives the platform's services: a constant on Node, built
 * from bindings and variables on Workers.
 */
export function createProxyHandler(servicesFor: (env: unknown) => ProxyServices) {
  const app = new Hono<ProxyEnv>();

  // Outermost: services, a request record, and the metrics/log line once the answer is known.
  app.use('*', async (c, next) => {
    const services = servicesFor(c.env);
    const record = { route: 'unknown', started: performance.now(), deferred: false };
    c.set('services', services);
    c.set('record', record);
    await next();
    if (!record.deferred) settle(services, record, c.res.status);
  });

  // CORS: a browser request from an origin not on the list gets 403 and no CORS headers.
  app.use('*', async (c, next) => {
    const origin = c.req.header('origin');
    if (!origin) return next();
    if (!originAllowed(origin, c.get('services').config.allowedOrigins)) {
      c.get('record').route = 'origin';
      return geminiError(403, 'PERMISSION_DENIED',
        `Origin ${origin} may not use this proxy. The operator can add it to PROXY_ALLOWED_ORIGINS.`);
    }
    if (c.req.method === 'OPTIONS') {
      c.get('record').route = 'preflight';
      return new Response(null, { status: 204, headers: preflightHeaders(origin) });
    }
    await next();
    for (const [k, v] of Object.entries(corsHeaders(origin))) c.res.headers.set(k, v);
  });

  for (const route of routes) {
    const named: MiddlewareHandler<ProxyEnv> = async (c, next) => { c.get('record').route = route.name; await next(); };
    // Only the model call reads its body through bodyRead (forward.ts); other routes read their own.
    const early = route.name === 'model' ? [startBodyRead] : [];
    const chain: MiddlewareHandler<ProxyEnv>[] = route.auth ? [named, ...early, authenticate, limitRequests] : [named];
    app.on([route.method], [route.path], ...chain, (c: Context<ProxyEnv>) => route.handle(c));
  }

  // A person opening the proxy's address in a browser lands here first: say what it is and where to look.
  app.notFound((c) => geminiError(404, 'NOT_FOUND',
    `No route for ${c.req.method} ${new URL(c.req.url).pathname}. This is Sightline's proxy: GET /healthz says whether it runs, ` +
      'and Sightline calls /v1beta/models/... with an access token (see proxy/README.md).'));
  app.onError((err, c) => {
    c.get('record').error = err.message;
    return geminiError(500, 'INTERNAL', 'The proxy failed on this request. The operator can find it in the proxy log.');
  });

  // Node has no ExecutionContext; a stand-in keeps `c.executionCtx.waitUntil` cheap (no throw) everywhere.
  const nodeCtx = { waitUntil: (p: Promise<unknown>) => void p.catch(() => {}), passThroughOnException: () => {}, props: {} };
  return { fetch: (request: Request, env?: unknown, ctx?: unknown) => app.fetch(request, env, (ctx ?? nodeCtx) as never) };
}
