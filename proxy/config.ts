// Proxy settings, parsed from plain string variables so the same code reads process.env on Node
// and the Workers `env` object. Every setting is documented in proxy/README.md.

export interface ProxyConfig {
  /** Google's key. The only secret that reaches Google; never logged. */
  geminiApiKey: string;
  /** Access tokens clients may present (x-goog-api-key or Authorization: Bearer). */
  tokens: string[];
  /** Upstream Gemini REST base URL, without trailing slash. */
  geminiBaseUrl: string;
  /** Exact origins (`chrome-extension://ID`) or scheme wildcards (`moz-extension://*`). */
  allowedOrigins: string[];
  models: string[];
  /** Models the Live relay (live.ts) accepts in `setup.model`, besides `models`. */
  liveModels: string[];
  /** Largest request body, in bytes (PROXY_MAX_BODY_MB). */
  maxBodyBytes: number;
  /** Request checks on generation settings, tools and cached content (see request-check.ts). */
  requestPolicy: RequestPolicy;
  /** Requests per minute per token (Node store; on Workers the Rate Limiting binding sets its own). */
  requestsPerMinute: number;
  /** Prompt + answer tokens per UTC day per token; 0 turns the budget off. */
  tokensPerDay: number;
  port: number;
  host: string;
  drainSeconds: number;
  log: 'json' | 'off';
}

/** What a request may ask Gemini for, beyond the model allow-list. Every field is an operator setting. */
export interface RequestPolicy {
  /** Largest `generationConfig.maxOutputTokens` (thinking included); added when a request names none. 0 = no cap. */
  maxOutputTokens: number;
  /** Largest `generationConfig.candidateCount`. 0 = no cap. */
  maxCandidates: number;
  /** Tools allowed besides `functionDeclarations` (always allowed), camelCase: `googleSearch`, `codeExecution`, `urlContext`... */
  allowedTools: string[];
  /** Whether a request may name a `cachedContent` (a cache billed to the proxy's key). */
  allowCachedContent: boolean;
  /** `generationConfig` fields refused outright, camelCase. Fields not listed are left for Gemini to judge. */
  deniedGenerationFields: string[];
}

export const DEFAULT_MODELS = [
  'gemini-flash-latest',
  'gemini-flash-lite-latest',
  'gemini-pro-latest',
  'gemini-3-flash-preview',
  'gemini-3-pro-preview',
  'gemini-2.5-flash',
  'gemini-2.5-flash-lite',
  'gemini-2.5-pro',
];

/** Live API models (https://ai.google.dev/gemini-api/docs/models); names change often, so PROXY_LIVE_MODELS overrides. */
export const DEFAULT_LIVE_MODELS = [
  'gemini-3.1-flash-live-preview',
  'gemini-2.5-flash-native-audio-preview-12-2025',
  'gemini-2.5-flash-native-audio-preview-09-2025',
  'gemini-live-2.5-flash-preview',
];

/** The development build's stable extension id (fixed `key` in the dev manifest). */
export const DEFAULT_ORIGINS = ['chrome-extension://bkejfokopdkhgjdimdaobdodlbpmmmfk'];

export const GOOGLE_BASE_URL = 'https://generativelanguage.googleapis.com';

/** Settings as plain strings: process.env (plus .env) on Node, the `env` object on Workers. */
export type EnvVars = Record<string, string | undefined>;

/** A setting is missing or malformed; the message says what to set. */
export class ConfigError extends Error {}

const list = (v: string | undefined) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);

/** `google_search` -> `googleSearch`: Gemini's JSON accepts both spellings of a field name; the proxy compares camelCase. */
export const camelCase = (name: string) => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function flag(env: EnvVars, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name}=${env[name]}: use true or false.`);
}

/** A list of Gemini field names (tools, generationConfig fields), in either spelling; a misspelt one would never match. */
function fieldNames(env: EnvVars, name: string, example: string): string[] {
  const names = list(env[name]);
  const bad = names.find((n) => !/^[A-Za-z][A-Za-z0-9_]*$/.test(n));
  if (bad) throw new ConfigError(`${name}: "${bad}" is not a field name Gemini uses. Write names like ${example}.`);
  return names.map(camelCase);
}

/** A list of model names as Gemini's paths spell them after models/ (a name with a slash would never match). */
function modelNames(env: EnvVars, name: string, fallback: string[]): string[] {
  if (!env[name]?.trim()) return fallback;
  const names = list(env[name]);
  const bad = names.find((n) => n.includes('/'));
  if (bad) throw new ConfigError(`${name}: "${bad}" has a slash, so no request could match it. Write "${bad.split('/').at(-1)}".`);
  return names;
}

/** Reads the request policy settings (PROXY_MAX_OUTPUT_TOKENS and friends, documented in proxy/README.md). */
export function loadRequestPolicy(env: EnvVars): RequestPolicy {
  return {
    maxOutputTokens: Math.floor(number(env, 'PROXY_MAX_OUTPUT_TOKENS', 8192)),
    maxCandidates: Math.floor(number(env, 'PROXY_MAX_CANDIDATES', 1)),
    allowedTools: fieldNames(env, 'PROXY_ALLOWED_TOOLS', 'googleSearch or url_context'),
    allowCachedContent: flag(env, 'PROXY_ALLOW_CACHED_CONTENT', false),
    deniedGenerationFields: fieldNames(env, 'PROXY_DENIED_GENERATION_FIELDS', 'thinkingConfig or response_schema'),
  };
}

function number(env: EnvVars, name: string, fallback: number, min = 0): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) throw new ConfigError(`${name}=${raw} is not a number >= ${min}.`);
  return n;
}

/**
 * PROXY_ALLOWED_ORIGINS as a list. A browser's Origin header is `scheme://host[:port]` with nothing after it, so an
 * entry with a path or a trailing slash (copied from an address bar) would never match: it is refused with the
 * spelling that would. Throws ConfigError.
 */
function origins(raw: string): string[] {
  const entries = list(raw);
  for (const entry of entries) {
    const m = /^([a-z][a-z0-9+.-]*:\/\/[^/]+)(\/.*)$/i.exec(entry);
    if (m) throw new ConfigError(`PROXY_ALLOWED_ORIGINS: "${entry}" is not an origin (a browser sends no path or trailing slash). Write "${m[1]}".`);
    if (!/^[a-z][a-z0-9+.-]*:\/\/[^/]+$/i.test(entry)) {
      throw new ConfigError(`PROXY_ALLOWED_ORIGINS: "${entry}" is not an origin. Write scheme://host, e.g. chrome-extension://<extension id> or moz-extension://*.`);
    }
  }
  return entries;
}

/**
 * Reads the settings from plain string variables. Throws ConfigError, with what to do, when a required one
 * is missing or a value does not parse.
 * `requireSecrets: false` lets tools (benchmarks, tests) build a config piecemeal.
 */
export function loadProxyConfig(env: EnvVars, opts: { requireSecrets?: boolean } = {}): ProxyConfig {
  const requireSecrets = opts.requireSecrets ?? true;
  const geminiApiKey = env.GEMINI_API_KEY?.trim() ?? '';
  const tokens = list(env.PROXY_TOKENS);
  if (requireSecrets && !geminiApiKey) {
    throw new ConfigError(
      'GEMINI_API_KEY is not set. Get a key at https://aistudio.google.com (Google AI Studio -> "Get API key" -> ' +
        '"Create API key"), then set GEMINI_API_KEY=... in the environment or in a .env file where you start the proxy (the project root for `npm run proxy`).',
    );
  }
  if (requireSecrets && tokens.length === 0) {
    throw new ConfigError(
      'PROXY_TOKENS is not set, so no client could use this proxy. Choose one or more access tokens (comma-separated), ' +
        'e.g. PROXY_TOKENS=' + randomToken() + ', and enter the same token in Sightline\'s settings.',
    );
  }
  const log = env.PROXY_LOG?.trim() || 'json';
  if (log !== 'json' && log !== 'off') throw new ConfigError(`PROXY_LOG=${log}: use "json" or "off".`);
  return {
    geminiApiKey,
    tokens,
    geminiBaseUrl: baseUrl(env.GEMINI_BASE_URL?.trim() || GOOGLE_BASE_URL),
    allowedOrigins: env.PROXY_ALLOWED_ORIGINS !== undefined ? origins(env.PROXY_ALLOWED_ORIGINS) : DEFAULT_ORIGINS,
    models: modelNames(env, 'PROXY_MODELS', DEFAULT_MODELS),
    liveModels: modelNames(env, 'PROXY_LIVE_MODELS', DEFAULT_LIVE_MODELS),
    maxBodyBytes: Math.round(number(env, 'PROXY_MAX_BODY_MB', 20, 0.001) * 1024 * 1024),
    requestPolicy: loadRequestPolicy(env),
    requestsPerMinute: number(env, 'PROXY_RPM', 60, 1),
    tokensPerDay: number(env, 'PROXY_TOKENS_PER_DAY', 1_000_000),
    port: portNumber(env),
    host: env.HOST?.trim() || '127.0.0.1',
    drainSeconds: number(env, 'PROXY_DRAIN_SECONDS', 30),
    log,
  };
}

/** GEMINI_BASE_URL without trailing slashes; an address that is not http(s) would fail every request, so it fails here. */
function baseUrl(raw: string): string {
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new ConfigError(`GEMINI_BASE_URL=${raw} is not an http(s) address. Leave it unset for Google (${GOOGLE_BASE_URL}).`);
  }
  return raw.replace(/\/+$/, '');
}

/** PORT: a whole number from 0 (any free port) to 65535. */
function portNumber(env: EnvVars): number {
  const raw = env.PORT?.trim();
  if (!raw) return 8787;
  if (!/^\d+$/.test(raw) || Number(raw) > 65535) throw new ConfigError(`PORT=${raw} is not a port: use a whole number from 1 to 65535 (0 picks a free one).`);
  return Number(raw);
}

/** 24 random bytes as hex: a suggested access token. */
export function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
