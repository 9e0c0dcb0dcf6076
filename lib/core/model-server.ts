/**
 * The pure decisions behind Settings' "model server" section (components/ModelServerSettings.tsx): which host
 * permission a server needs, what a check of the server found, and how the vision answer is stored. No browser API.
 */
import type { ChatVision } from './settings.ts';

/**
 * The host-permission match pattern for an OpenAI-compatible base URL ("http://127.0.0.1:1234/v1" →
 * "http://127.0.0.1/*"): scheme and host, every port and path (match patterns carry no port:
 * https://developer.chrome.com/docs/extensions/develop/concepts/match-patterns). Undefined for anything but an
 * http(s) URL.
 */
export function serverPermissionPattern(baseUrl: string): string | undefined {
  try {
    const url = new URL(baseUrl.trim());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return `${url.protocol}//${url.hostname}/*`;
  } catch {
    return undefined;
  }
}

/** The server's root ("http://localhost:11434/v1" → "http://localhost:11434"), where Ollama's own API lives; undefined when not a URL. */
export function serverRoot(baseUrl: string): string | undefined {
  try {
    return new URL(baseUrl.trim()).origin;
  } catch {
    return undefined;
  }
}

/**
 * What checking a server (listing its models) found:
 * - 'ok': the models it lists, sorted, and whether it is Ollama (it answered Ollama's `/api/version`);
 * - 'ollama-origins': a bare 403 (no body), Ollama's answer to an extension origin OLLAMA_ORIGINS does not allow;
 * - 'refused-key': 401, or a 403 with a reason (a key is missing or wrong);
 * - 'not-openai': 404 (the base URL does not end where the API is, usually `/v1`);
 * - 'server-error': another HTTP status;
 * - 'blocked': something answers there, but the browser would not let Sightline read the answer: the server refused
 *   the extension's origin without CORS headers (Ollama without OLLAMA_ORIGINS does exactly this, for its preflight
 *   too, so its 403 is never seen) or sends no CORS headers at all (LM Studio with CORS off). `needsAccess`: the
 *   extension has no host permission for it, which would let it read the answer;
 * - 'unreachable': nothing answers (not running, wrong address); `needsAccess` as above;
 * - 'bad-url': not an http(s) URL.
 */
export type ServerCheck =
  | { kind: 'ok'; models: string[]; ollama: boolean }
  | { kind: 'ollama-origins' }
  | { kind: 'refused-key'; status: number }
  | { kind: 'not-openai' }
  | { kind: 'server-error'; status: number }
  | { kind: 'blocked'; needsAccess: boolean }
  | { kind: 'unreachable'; needsAccess: boolean }
  | { kind: 'bad-url' };

/** An HTTP error from the server's `/models` as a ServerCheck (status, and the body's text, may be empty). */
export function checkOfStatus(status: number, body: string): ServerCheck {
  if (status === 403 && body.trim() === '') return { kind: 'ollama-origins' };
  if (status === 401 || status === 403) return { kind: 'refused-key', status };
  if (status === 404) return { kind: 'not-openai' };
  return { kind: 'server-error', status };
}

/**
 * The command that lets Sightline (in either browser) use Ollama: Ollama answers a browser extension only when its
 * origin is in OLLAMA_ORIGINS (https://github.com/ollama/ollama/blob/main/docs/faq.md, "allow additional web origins").
 */
export const OLLAMA_ORIGINS_COMMAND = "OLLAMA_ORIGINS='chrome-extension://*,moz-extension://*' ollama serve";
/** The same for Ollama's macOS app, which reads its environment from launchctl. */
export const OLLAMA_ORIGINS_MACOS = "launchctl setenv OLLAMA_ORIGINS 'chrome-extension://*,moz-extension://*'";

/**
 * The stored vision setting: what Ollama's model info said (`known`), else the person's checkbox. 'auto' is kept only
 * when nothing is known and the box was never touched (`checked` undefined): the background then asks Ollama itself.
 */
export function visionSetting(known: boolean | undefined, checked: boolean | undefined): ChatVision {
  if (known !== undefined) return known ? 'yes' : 'no';
  if (checked === undefined) return 'auto';
  return checked ? 'yes' : 'no';
}

/** Whether the checkbox shows "can see pictures" for a stored setting: 'auto' and 'yes' do (most servers' models that matter here do). */
export const visionChecked = (v: ChatVision): boolean => v !== 'no';

/** The model to keep selected once a list arrived: the current one if listed, else the first listed, else the current. */
export function pickModel(current: string, models: string[]): string {
  if (models.includes(current)) return current;
  return models[0] ?? current;
}
