/**
 * OpenAI-compatible chat completions (Ollama, LM Studio, llama.cpp server, vLLM, OpenRouter), streaming, with
 * fetch and `eventsource-parser` for the SSE framing. The official `openai` SDK would add ~400 KB to the
 * background bundle (measured: 468 KB → 864 KB) for one endpoint; the tests drive the stand-in server with that
 * SDK to keep this client honest about the wire format (tests/unit/openai-transport.test.ts). The person's own
 * server or provider is the endpoint: the base URL and key they set in Settings; a local server needs no key.
 * Wire format: https://platform.openai.com/docs/api-reference/chat/streaming
 */
import { EventSourceParserStream } from 'eventsource-parser/stream';
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

/** The server answered with an HTTP error: its status and the start of its body (never shown raw). */
export class ChatHttpError extends Error {
  readonly status: number;
  readonly body: string;
  constructor(status: number, body: string) {
    super(`model server answered ${status}`);
    this.name = 'ChatHttpError';
    this.status = status;
    this.body = body.slice(0, 2000);
  }
}

interface ChatChunk {
  choices?: Array<{ delta?: { content?: string | null }; finish_reason?: string | null }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
}

function headersFor(apiKey: string | undefined): Record<string, string> {
  return { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) };
}

const endpoint = (baseUrl: string, path: string) => `${baseUrl.replace(/\/+$/, '')}${path}`;

async function ensureOk(res: Response): Promise<Response> {
  if (!res.ok) throw new ChatHttpError(res.status, await res.text().catch(() => ''));
  return res;
}

/** Streams one answer. Rejects with ChatHttpError (status, body), a network TypeError or an AbortError; see chatBackendError. */
export async function streamChatCompletion(req: ChatRequest): Promise<ChatResult> {
  const res = await ensureOk(
    await fetch(endpoint(req.baseUrl, '/chat/completions'), {
      method: 'POST',
      headers: headersFor(req.apiKey),
      signal: req.signal,
      body: JSON.stringify({
        model: req.model,
        messages: toChatMessages(req.contents, req.systemInstruction, { vision: req.vision, ocrText: req.ocrText }),
        stream: true,
        stream_options: { include_usage: true },
      }),
    }),
  );
  let text = '';
  let usage: Usage | undefined;
  let finishReason: string | undefined;
  const events = res.body!.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).getReader();
  for (;;) {
    const { value: event, done } = await events.read();
    if (done || event.data === '[DONE]') break;
    let chunk: ChatChunk;
    try {
      chunk = JSON.parse(event.data) as ChatChunk;
    } catch {
      continue; // a keep-alive or a server's own comment line: not part of the answer
    }
    const choice = chunk.choices?.[0];
    const delta = choice?.delta?.content ?? '';
    if (delta) {
      text += delta;
      req.onDelta(delta);
    }
    if (choice?.finish_reason) finishReason = choice.finish_reason;
    if (chunk.usage) usage = { promptTokens: chunk.usage.prompt_tokens ?? 0, answerTokens: chunk.usage.completion_tokens ?? 0 };
  }
  return { text, usage, finishReason };
}

/** The models the server lists (`GET {baseUrl}/models`), sorted by name. Rejects like streamChatCompletion. */
export async function listChatModels(baseUrl: string, apiKey?: string, signal?: AbortSignal): Promise<string[]> {
  const res = await ensureOk(await fetch(endpoint(baseUrl, '/models'), { headers: headersFor(apiKey), signal }));
  const list = (await res.json()) as { data?: Array<{ id?: unknown }> };
  return (list.data ?? []).flatMap((m) => (typeof m.id === 'string' ? [m.id] : [])).sort();
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
  if (err instanceof ChatHttpError) {
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
    return { kind: 'bad-request', message: `The model server refused the request: ${shortMessage(reasonOf(err.body))}`, action: 'edit-question' };
  }
  return {
    kind: 'proxy-unreachable',
    message: `Cannot reach the model server at ${baseUrl}. Check that it is running and that the base URL in Settings is right.`,
    action: 'open-settings',
  };
}

/** The reason in an OpenAI-style error body (`{"error":{"message"}}`), else the body's first line. */
function reasonOf(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown } | string };
    const message = typeof parsed.error === 'string' ? parsed.error : parsed.error?.message;
    if (typeof message === 'string') return message;
  } catch {
    // not JSON: fall through to the first line
  }
  return body;
}

/** A message without an HTML page or JSON pasted in. */
function shortMessage(message: string): string {
  const line = message.split('\n')[0]!.replace(/<[^>]*>/g, '').trim();
  return line.length > 160 ? `${line.slice(0, 157)}…` : line || 'no reason given.';
}
