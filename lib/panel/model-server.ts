/**
 * Settings' checks of an OpenAI-compatible model server, from the panel: list its models (`GET {base}/models`), tell
 * whether it is Ollama (`GET /api/version` at its root) and whether a model sees pictures (Ollama's `/api/show`
 * capabilities), detect Ollama on its default address, and the host permission a server without CORS headers needs.
 * The requests go straight from this extension page, as the answer calls will from the background.
 */
import { browser } from 'wxt/browser';
import { ChatHttpError, detectOllama, listChatModels, ollamaBaseUrl, ollamaVision, OLLAMA_DEFAULT_ROOT } from '../transport/openai.ts';
import { checkOfStatus, serverPermissionPattern, serverRoot, type ServerCheck } from '../core/model-server.ts';

/** How long a check waits for a server (ms): a local server answers in milliseconds, a remote one in about a second. */
export const CHECK_TIMEOUT_MS = 8000;

/** Whether `root` answers Ollama's `/api/version` with a version: it is Ollama (its model info can then be asked). */
async function isOllama(root: string): Promise<boolean> {
  const res = await fetch(`${root}/api/version`, { signal: AbortSignal.timeout(CHECK_TIMEOUT_MS) }).catch(() => undefined);
  if (!res?.ok) return false;
  const body = (await res.json().catch(() => undefined)) as { version?: unknown } | undefined;
  return typeof body?.version === 'string';
}

/**
 * Whether anything answers at `root`: a `no-cors` request resolves (with an opaque response) whatever the status and
 * CORS headers, and rejects only when nothing answers. Tells 'blocked' from 'unreachable' after a failed fetch.
 */
async function answersAtAll(root: string): Promise<boolean> {
  const res = await fetch(`${root}/`, { mode: 'no-cors', signal: AbortSignal.timeout(CHECK_TIMEOUT_MS) }).catch(() => undefined);
  return res !== undefined;
}

/** Whether the extension holds the host permission for this base URL (Firefox grants every host at install). */
export async function hasServerAccess(baseUrl: string): Promise<boolean> {
  const pattern = serverPermissionPattern(baseUrl);
  if (!pattern) return false;
  try {
    return await browser.permissions.contains({ origins: [pattern] });
  } catch {
    return false; // no permissions API here (a test's fake browser): as if not granted
  }
}

/**
 * Asks the browser for the host permission of this base URL. Call it first thing in a click handler (browsers
 * grant optional permissions only inside a user action). True when granted.
 */
export function requestServerAccess(baseUrl: string): Promise<boolean> {
  const pattern = serverPermissionPattern(baseUrl);
  if (!pattern) return Promise.resolve(false);
  try {
    return browser.permissions.request({ origins: [pattern] }).catch(() => false);
  } catch {
    return Promise.resolve(false);
  }
}

/** Lists the server's models and says what it is; never rejects (every failure is a ServerCheck). */
export async function checkServer(baseUrl: string, apiKey: string): Promise<ServerCheck> {
  const root = serverRoot(baseUrl);
  if (!root || !serverPermissionPattern(baseUrl)) return { kind: 'bad-url' };
  try {
    const models = await listChatModels(baseUrl, apiKey || undefined, AbortSignal.timeout(CHECK_TIMEOUT_MS));
    return { kind: 'ok', models, ollama: await isOllama(root) };
  } catch (err) {
    if (err instanceof ChatHttpError) return checkOfStatus(err.status, err.body);
    const needsAccess = !(await hasServerAccess(baseUrl));
    return { kind: (await answersAtAll(root)) ? 'blocked' : 'unreachable', needsAccess };
  }
}

/** Ollama's OpenAI-compatible base URL on its default address (http://localhost:11434/v1). */
export const OLLAMA_DEFAULT_BASE_URL = ollamaBaseUrl(OLLAMA_DEFAULT_ROOT);

/**
 * "Detect Ollama": is Ollama on its default address? Its base URL and models when it answers, 'ollama-origins' when
 * it refuses this extension (a 403 seen with the host permission, or an answer the browser blocked: on Ollama's port
 * that is its refusal), 'unreachable' when nothing answers. Ask for the host permission in the click first
 * (requestServerAccess(OLLAMA_DEFAULT_BASE_URL)): without it, Ollama's refusal cannot be told from other failures.
 */
export async function detectLocalOllama(): Promise<{ baseUrl: string; check: ServerCheck }> {
  const baseUrl = OLLAMA_DEFAULT_BASE_URL;
  const found = await detectOllama(OLLAMA_DEFAULT_ROOT, AbortSignal.timeout(CHECK_TIMEOUT_MS));
  if (found === 'refused') return { baseUrl, check: { kind: 'ollama-origins' } };
  if (found === 'ready') return { baseUrl, check: await checkServer(baseUrl, '') };
  if (await answersAtAll(OLLAMA_DEFAULT_ROOT)) return { baseUrl, check: { kind: 'ollama-origins' } };
  return { baseUrl, check: { kind: 'unreachable', needsAccess: false } };
}

/** Whether an Ollama server's model sees pictures (its `/api/show` capabilities); undefined when not Ollama or unknown. */
export async function modelSeesPictures(baseUrl: string, model: string, ollama: boolean): Promise<boolean | undefined> {
  const root = serverRoot(baseUrl);
  if (!ollama || !root || !model) return undefined;
  return ollamaVision(root, model, AbortSignal.timeout(CHECK_TIMEOUT_MS));
}
