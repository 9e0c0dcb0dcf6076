/** User settings: their shape, defaults and the normalisation every reader trusts. Pure; kept by lib/storage/settings.ts. */
import { DEFAULT_PRICES } from './conversation/cost.ts';
import { DEFAULT_PRIVATE_SITES, normalizeSitePatterns } from './private-sites.ts';

declare const __SIGHTLINE_PROXY_URL__: string | undefined;
declare const __SIGHTLINE_PROXY_TOKEN__: string | undefined;

export interface Settings {
  /** Base URL of the Sightline proxy, e.g. http://127.0.0.1:8787 */
  proxyUrl: string;
  /** Access token the proxy gave this user (sent as x-goog-api-key to the proxy, never to Google). */
  accessToken: string;
  model: string;
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
  /** Estimated cost at which a session pauses sharing; 0 means no budget. */
  sessionBudget: number;
}

export const DEFAULT_SETTINGS: Settings = {
  // A development build may bake these in (SIGHTLINE_PROXY_URL / SIGHTLINE_PROXY_TOKEN); store builds never do.
  proxyUrl: typeof __SIGHTLINE_PROXY_URL__ === 'string' ? __SIGHTLINE_PROXY_URL__ : '',
  accessToken: typeof __SIGHTLINE_PROXY_TOKEN__ === 'string' ? __SIGHTLINE_PROXY_TOKEN__ : '',
  model: 'gemini-flash-latest',
  fps: 1,
  minFps: 0.2,
  quality: 0.7,
  keepFrames: false,
  privateSites: DEFAULT_PRIVATE_SITES,
  inputPricePerMillion: DEFAULT_PRICES.inputPerMillion,
  outputPricePerMillion: DEFAULT_PRICES.outputPerMillion,
  sessionBudget: 0,
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
  const s: { [K in keyof Settings]: unknown } = { ...DEFAULT_SETTINGS, ...given };
  const clamp = (v: number, lo: number, hi: number, d: number) =>
    Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : d;
  const fps = clamp(Number(s.fps), FPS_RANGE.min, FPS_RANGE.max, DEFAULT_SETTINGS.fps);
  return {
    proxyUrl: String(s.proxyUrl).trim().replace(/\/+$/, ''),
    accessToken: String(s.accessToken).trim(),
    model: String(s.model).trim() || DEFAULT_SETTINGS.model,
    fps,
    minFps: clamp(Number(s.minFps), FPS_RANGE.min, fps, Math.min(fps, DEFAULT_SETTINGS.minFps)),
    quality: clamp(Number(s.quality), QUALITY_RANGE.min, QUALITY_RANGE.max, DEFAULT_SETTINGS.quality),
    keepFrames: Boolean(s.keepFrames),
    privateSites: Array.isArray(s.privateSites) ? normalizeSitePatterns(s.privateSites) : DEFAULT_SETTINGS.privateSites,
    inputPricePerMillion: clamp(Number(s.inputPricePerMillion), 0, 1e6, DEFAULT_SETTINGS.inputPricePerMillion),
    outputPricePerMillion: clamp(Number(s.outputPricePerMillion), 0, 1e6, DEFAULT_SETTINGS.outputPricePerMillion),
    sessionBudget: clamp(Number(s.sessionBudget), 0, 1e9, 0),
  };
}
