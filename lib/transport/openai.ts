/**
 * OpenAI-compatible chat completions (Ollama, LM Studio, llama.cpp server, vLLM, OpenRouter) with the official
 * `openai` SDK, streaming. The person's own server or provider is the endpoint: the base URL and key they set
 * in Settings; a local server needs no key. Same request shape as the Gemini path (openai-request.ts maps it).
 */
import OpenAI, { APIError } from 'openai';
import type { Content } from '@google/genai';
import type { Usage, UserError } from '../core/types.ts';
import { toChatMessages, type MappingOptions } from './openai-request.ts';

export interface ChatRequest {
  /** e.g. http://localhost:11434/v1 (Ollama), http://localhost:1234/v1 (LM Studio), https://openrouter.ai/api/v1 */
  baseUrl: string;
  /** Optional for local servers. */
  apiKey?: string;
  model: string;
  contents: Content[];
  systemInstruction?: string;
  /** Whether the model can see images (Settings, or Ollama's model info). */
  vision: MappingOptions['vision'];
  ocrText?: MappingOptions['ocrText'];
  signal?: AbortSignal;
  onDelta: (text: string) => void;
}

export interface ChatResult {
  text: string;
  usage?: Usage;
  /** OpenAI's finish_reason of the last choice: 'stop', 'length' (cut at the token limit), 'content_filter', … */
  finishReason?: string;
}

/** Local servers take any key; the SDK wants one to be set. */
const NO_KEY = 'not-needed';

function clientFor(baseUrl: string, apiKey: string | undefined): OpenAI {
  // The browser is where Sightline runs; the key is the person's own (or none), entered in Settings.
  return new OpenAI({ baseURL: baseUrl.replace(/\/+$/, ''), apiKey: apiKey || NO_KEY, dangerouslyAllowBrowser: true, maxRetries: 0 });
}

/** Streams one answer. Rejects with the SDK's APIError (status, body) or a network error; see chatBackendError. */
export async function streamChatCompletion(req: ChatRequest): Promise<ChatResult> {
  const stream = await clientFor(req.baseUrl, req.apiKey).chat.completions.create(
    {
      model: req.model,
      messages: toChatMessages(req.contents, req.systemInstruction, { vision: req.vision, ocrText: req.ocrText }),
      stream: true,
      stream_options: { include_usage: true },
    },
    { signal: req.signal },
  );
  let text = '';
  let usage: Usage | undefined;
  let finishReason: string | undefined;
  for await (const chunk of stream) {
    const choice = chunk.choices[0];
    const delta = choice?.delta?.content ?? '';
    if (delta) {
      text += delta;
      req.onDelta(delta);
    }
    if (choice?.finish_reason) finishReason = choice.finish_reason;
    if (chunk.usage) usage = { promptTokens: chunk.usage.prompt_tokens, answerTokens: chunk.usage.completion_tokens };
  }
  return { text, usage, finishReason };
}

/** The models the server lists (`GET {baseUrl}/models`), sorted by name. */
export async function listChatModels(baseUrl: string, apiKey?: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const model of clientFor(baseUrl, apiKey).models.list()) ids.push(model.id);
  return ids.sort();
}

/** Where Ollama listens by default (https://github.com/ollama/ollama/blob/main/docs/faq.md). */
export const OLLAMA_DEFAULT_ROOT = 'http://localhost:11434';

/** Ollama's OpenAI-compatible base URL for its API root. */
export const ollamaBaseUrl = (root: string) => `${root.replace(/\/+$/, '')}/v1`;

/**
 * Is Ollama running at `root`, and does it answer this extension? `GET /api/version`: 'ready' (answers),
 * 'refused' (a 403: running, but this origin is not in OLLAMA_ORIGINS), 'absent' (nothing answers).
 */
export async function detectOllama(root = OLLAMA_DEFAULT_ROOT, signal?: AbortSignal): Promise<'ready' | 'refused' | 'absent'> {
  const res = await fetch(`${root}/api/version`, { signal }).catch(() => undefined);
  if (!res) return 'absent';
  if (res.status === 403) return 'refused';
  return res.ok ? 'ready' : 'absent';
}

/**
 * Whether an Ollama model can see images, from `POST /api/show` (`capabilities` lists "vision":
 * https://github.com/ollama/ollama/blob/main/docs/api.md#show-model-information). Undefined when unknown.
 */
export async function ollamaVision(root: string, model: string, signal?: AbortSignal): Promise<boolean | undefined> {
  const res = await fetch(`${root}/api/show`, { method: 'POST', body: JSON.stringify({ model }), signal }).catch(() => undefined);
  if (!res?.ok) return undefined;
  const info = (await res.json().catch(() => undefined)) as { capabilities?: unknown } | undefined;
  return Array.isArray(info?.capabilities) ? info.capabilities.includes('vision') : undefined;
}

/** The fix for Ollama's 403 to an extension: it answers only origins it was told to trust. */
export const OLLAMA_ORIGINS_FIX =
  "Ollama refused Sightline: it only answers browser extensions it is told to trust. Quit Ollama and start it with OLLAMA_ORIGINS set, e.g.  OLLAMA_ORIGINS='chrome-extension://*,moz-extension://*' ollama serve  (on macOS: launchctl setenv OLLAMA_ORIGINS 'chrome-extension://*,moz-extension://*', then restart Ollama).";

/** What went wrong with an OpenAI-compatible server, as a sentence with its action. Never a raw body. */
export function chatBackendError(err: unknown, server: { baseUrl: string; model: string; ollama: boolean }): UserError {
  const { baseUrl, model } = server;
  if (err instanceof APIError && typeof err.status === 'number') {
    const status = err.status;
    if (status === 403 && server.ollama) return { kind: 'forbidden', message: OLLAMA_ORIGINS_FIX, action: 'open-settings' };
    if (status === 401 || status === 403) {
      return { kind: 'unauthorized', message: `The model server at ${baseUrl} refused the key. Check the API key in Settings.`, action: 'open-settings' };
    }
    if (status === 404) {
      return { kind: 'bad-request', message: `The model server has no model “${model}”. Choose one it lists in Settings.`, action: 'open-settings' };
    }
    if (status === 429) return { kind: 'rate-limited', message: 'The model server says too many requests. Try again in a minute.', retryAfterSec: 60, action: 'retry' };
    if (status >= 500) return { kind: 'upstream', message: `The model server had a problem answering (it said ${status}). Try again shortly.`, action: 'retry' };
    return { kind: 'bad-request', message: `The model server refused the request: ${shortMessage(err.message)}`, action: 'edit-question' };
  }
  return {
    kind: 'proxy-unreachable',
    message: `Cannot reach the model server at ${baseUrl}. Check that it is running and that the base URL in Settings is right.`,
    action: 'open-settings',
  };
}

/** The SDK's message without an HTML or JSON body pasted in. */
function shortMessage(message: string): string {
  const line = message.split('\n')[0]!.replace(/<[^>]*>/g, '').trim();
  return line.length > 160 ? `${line.slice(0, 157)}…` : line || 'no reason given.';
}
