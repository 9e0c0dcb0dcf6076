/** User settings: their shape, defaults and the normalisation every reader trusts. Pure; kept by lib/storage/settings.ts. */
import { DEFAULT_PRICES } from './conversation/cost.ts';
import { DEFAULT_PRIVATE_SITES, normalizeSitePatterns } from './private-sites.ts';

declare const __SIGHTLINE_PROXY_URL__: string | undefined;
declare const __SIGHTLINE_PROXY_TOKEN__: string | undefined;

/**
 * Which model server answers: 'gemini' (through the Sightline proxy, the default; Live mode needs it) or
 * 'openai' (an OpenAI-compatible server the person runs or uses: Ollama, LM Studio, llama.cpp, vLLM, OpenRouter).
 */
export type Backend = 'gemini' | 'openai';

/** Whether the OpenAI-compatible model can see pictures: 'auto' asks Ollama's model info, elsewhere assumes yes. */
export type ChatVision = 'auto' | 'yes' | 'no';

/** An OpenAI-compatible server as a model call needs it (lib/transport/openai.ts). */
export interface ChatServer {
  /** e.g. http://localhost:11434/v1 */
  baseUrl: string;
  /** Empty for local servers. */
  apiKey: string;
  vision: ChatVision;
}

export interface Settings {
  backend: Backend;
  /** OpenAI-compatible base URL (backend 'openai'). */
  chatBaseUrl: string;
  /** Its API key; empty for a local server. Kept in this browser only. */
  chatApiKey: string;
  /** The model on that server, e.g. "llava:7b". */
  chatModel: string;
  chatVision: ChatVision;
  /** Base URL of the Sightline proxy, e.g. http://127.0.0.1:8787 */
  proxyUrl: string;
  /** Access token the proxy gave this user (sent as x-goog-api-key to the proxy, never to Google). */
  accessToken: string;
  model: string;
  /** The Live API model for Live mode (voice); names change often (https://ai.google.dev/gemini-api/docs/models). */
  liveModel: string;
  /**
   * Live mode straight to Google: each connection opens at Gemini with a one-use token the proxy mints for it (the key
   * stays in the proxy; audio and frames do not pass through it). Off: the proxy relays the socket (the default).
   */
  liveDirect: boolean;
  /** Highest sampling rate while sharing, used while the scene changes (0.2 to 5 frames per second). */
  fps: number;
  /** Lowest rate, reached while the scene stays still (0.2 up to fps). */
  minFps: number;
  /** JPEG quality 0.3 to 0.95. */
  quality: number;
  /** Keep frames' bytes on disk with the conversation (off by default: screens are personal data). */
  keepFrames: boolean;
  /** Hostname patterns on which sharing a tab pauses by itself ("chase.com", "*bank*"). */
  privateSites: string[];
  /** Price per million prompt tokens, for the estimated cost (prices change and differ by model). */
  inputPricePerMillion: number;
  /** Price per million answer tokens (thinking included). */
  outputPricePerMillion: number;
  /** Estimated cost at which a conversation pauses sharing and Live; 0 means no limit. */
  spendLimit: number;
}

export const DEFAULT_SETTINGS: Settings = {
  backend: 'gemini',
  chatBaseUrl: 'http://localhost:11434/v1',
  chatApiKey: '',
  chatModel: '',
  chatVision: 'auto',
  // A development build may bake these in (SIGHTLINE_PROXY_URL / SIGHTLINE_PROXY_TOKEN); store builds never do.
  proxyUrl: typeof __SIGHTLINE_PROXY_URL__ === 'string' ? __SIGHTLINE_PROXY_URL__ : '',
  accessToken: typeof __SIGHTLINE_PROXY_TOKEN__ === 'string' ? __SIGHTLINE_PROXY_TOKEN__ : '',
  model: 'gemini-flash-latest',
  liveModel: 'gemini-live-2.5-flash-preview',
  liveDirect: false,
  fps: 1,
  // A 1 fps floor: a scene that stays a second reaches the model even if it is gone before the next question
  // (bench:session, short-scenes clip: 10/12 scenes at a 0.2 fps floor, 12/12 at 1 fps, no more tokens).
  minFps: 1,
  quality: 0.7,
  keepFrames: false,
  privateSites: DEFAULT_PRIVATE_SITES,
  inputPricePerMillion: DEFAULT_PRICES.inputPerMillion,
  outputPricePerMillion: DEFAULT_PRICES.outputPerMillion,
  spendLimit: 0,
};

export const FPS_RANGE = { min: 0.2, max: 5 } as const;
export const QUALITY_RANGE = { min: 0.3, max: 0.95 } as const;

/**
 * Clamp and fill a stored or edited settings object so the rest of the code can trust it. Takes anything
 * (storage holds whatever an older release or a hand edit left there): missing fields take their defaults,
 * each field is coerced to its type and clamped to its range (a number that is not one takes its default),
 * unknown fields are dropped.
 */
export function normalizeSettings(input: unknown): Settings {
  const given = typeof input === 'object' && input !== null ? input : {};
  // `sessionBudget` was the spend limit's name until December 2026: a stored one still counts.
  const legacy = 'sessionBudget' in given && !('spendLimit' in given) ? { spendLimit: given.sessionBudget } : {};
  const s: { [K in keyof Settings]: unknown } = { ...DEFAULT_SETTINGS, ...given, ...legacy };
  const clamp = (v: number, lo: number, hi: number, d: number) =>
    Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : d;
  const fps = clamp(Number(s.fps), FPS_RANGE.min, FPS_RANGE.max, DEFAULT_SETTINGS.fps);
  return {
    backend: s.backend === 'openai' ? 'openai' : 'gemini',
    chatBaseUrl: String(s.chatBaseUrl).trim().replace(/\/+$/, ''),
    chatApiKey: String(s.chatApiKey).trim(),
    chatModel: String(s.chatModel).trim(),
    chatVision: s.chatVision === 'yes' || s.chatVision === 'no' ? s.chatVision : 'auto',
    proxyUrl: String(s.proxyUrl).trim().replace(/\/+$/, ''),
    accessToken: String(s.accessToken).trim(),
    model: String(s.model).trim() || DEFAULT_SETTINGS.model,
    liveModel: String(s.liveModel).trim() || DEFAULT_SETTINGS.liveModel,
    liveDirect: s.liveDirect === true,
    fps,
    minFps: clamp(Number(s.minFps), FPS_RANGE.min, fps, Math.min(fps, DEFAULT_SETTINGS.minFps)),
    quality: clamp(Number(s.quality), QUALITY_RANGE.min, QUALITY_RANGE.max, DEFAULT_SETTINGS.quality),
    keepFrames: Boolean(s.keepFrames),
    privateSites: Array.isArray(s.privateSites) ? normalizeSitePatterns(s.privateSites) : DEFAULT_SETTINGS.privateSites,
    inputPricePerMillion: clamp(Number(s.inputPricePerMillion), 0, 1e6, DEFAULT_SETTINGS.inputPricePerMillion),
    outputPricePerMillion: clamp(Number(s.outputPricePerMillion), 0, 1e6, DEFAULT_SETTINGS.outputPricePerMillion),
    spendLimit: clamp(Number(s.spendLimit), 0, 1e9, 0),
  };
}

/** The OpenAI-compatible server to call, or undefined when Gemini (through the proxy) answers. */
export function chatServerOf(s: Settings): ChatServer | undefined {
  return s.backend === 'openai' ? { baseUrl: s.chatBaseUrl, apiKey: s.chatApiKey, vision: s.chatVision } : undefined;
}

/** The model asked, on whichever backend answers. */
export const modelOf = (s: Settings): string => (s.backend === 'openai' ? s.chatModel : s.model);

/** Whether a question can be sent at all: the chosen backend has what it needs. */
export function isConfigured(s: Settings): boolean {
  return s.backend === 'openai' ? Boolean(s.chatBaseUrl && s.chatModel) : Boolean(s.proxyUrl && s.accessToken);
}
