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

/** Whether the extension holds the host permission for this base URL (Firefox grants every host at install). */
export async function hasServerAccess(baseUrl: string): Promise<boolean> {
  const pattern = serverPermissionPattern(baseUrl);
  if (!pattern) return false;
  return browser.permissions.contains({ origins: [pattern] }).catch(() => false);
}

/**
 * Asks the browser for the host permission of this base URL. Call it first thing in a click handler (browsers
 * grant optional permissions only inside a user action). True when granted.
 */
export function requestServerAccess(baseUrl: string): Promise<boolean> {
  const pattern = serverPermissionPattern(baseUrl);
  if (!pattern) return Promise.resolve(false);
  return browser.permissions.request({ origins: [pattern] }).catch(() => false);
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
    return { kind: 'unreachable', needsAccess: !(await hasServerAccess(baseUrl)) };
  }
}

/**
 * "Detect Ollama": is Ollama on its default address (http://localhost:11434)? Its base URL and models when it answers,
 * 'ollama-origins' when it refuses this extension (403), 'unreachable' when nothing answers.
 */
export async function detectLocalOllama(): Promise<{ baseUrl: string; check: ServerCheck }> {
  const baseUrl = ollamaBaseUrl(OLLAMA_DEFAULT_ROOT);
  const found = await detectOllama(OLLAMA_DEFAULT_ROOT, AbortSignal.timeout(CHECK_TIMEOUT_MS));
  if (found === 'refused') return { baseUrl, check: { kind: 'ollama-origins' } };
  if (found === 'absent') return { baseUrl, check: { kind: 'unreachable', needsAccess: false } };
  return { baseUrl, check: await checkServer(baseUrl, '') };
}

/** Whether an Ollama server's model sees pictures (its `/api/show` capabilities); undefined when not Ollama or unknown. */
export async function modelSeesPictures(baseUrl: string, model: string, ollama: boolean): Promise<boolean | undefined> {
  const root = serverRoot(baseUrl);
  if (!ollama || !root || !model) return undefined;
  return ollamaVision(root, model, AbortSignal.timeout(CHECK_TIMEOUT_MS));
}
