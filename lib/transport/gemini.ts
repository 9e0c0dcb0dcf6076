/**
 * The model transport: one streamed generateContent call through the user's proxy, with the official SDK.
 * The proxy speaks Gemini's REST API, so the SDK is used unchanged: baseUrl = proxy, apiKey = access token.
 */
import { GoogleGenAI, type Content, type GenerateContentResponseUsageMetadata } from '@google/genai';
import type { Usage } from '../core/types.ts';
import type { ChatServer } from '../core/settings.ts';
import { usageFromMetadata } from '../core/conversation/cost.ts';
import { emptySignals, readChunk, type AnswerSignals, type ChunkLike } from '../core/answers/signals.ts';
import { API_VERSION } from './gemini-version.ts';

export interface StreamRequest {
  /** Set when an OpenAI-compatible server answers instead of Gemini (lib/transport/chat-backend.ts). */
  chat?: ChatServer;
  proxyUrl: string;
  accessToken: string;
  model: string;
  contents: Content[];
  systemInstruction?: string;
  signal?: AbortSignal;
  /** Each piece of answer text as it arrives; never thought text. */
  onDelta: (text: string) => void;
}

export interface StreamResult {
  /** The answer text: non-thought text parts of the first candidate, concatenated. */
  text: string;
  usage?: Usage;
  /**
   * How the answer ended (finishReason, promptFeedback.blockReason, thoughts, chunk counts): lib/core/answers/endings.ts
   * turns it into a sentence. Absent from test doubles, which then count as complete answers.
   */
  signals?: AnswerSignals;
  /** The model cannot see pictures, so the request's images were replaced by text (chat-backend.ts). */
  textOnly?: boolean;
}

export { API_VERSION } from './gemini-version.ts';

/** Usage from the SDK's metadata; thinking tokens are billed as output (lib/session/cost.ts). */
export function usageFrom(meta: GenerateContentResponseUsageMetadata | undefined): Usage | undefined {
  return usageFromMetadata(meta);
}

/** The SDK pointed at the user's proxy: the access token travels where the SDK puts an API key. */
function clientFor(req: Pick<StreamRequest, 'accessToken' | 'proxyUrl'>): GoogleGenAI {
  return new GoogleGenAI({ apiKey: req.accessToken, httpOptions: { baseUrl: req.proxyUrl, apiVersion: API_VERSION } });
}

function configFor(req: Omit<StreamRequest, 'onDelta'>) {
  return { abortSignal: req.signal, ...(req.systemInstruction ? { systemInstruction: req.systemInstruction } : {}) };
}

/**
 * Streams one answer. Chunks are read part by part (signals.ts), not through `chunk.text`, so thought parts never
 * reach the answer and the ending is known. Throws what the SDK throws (ApiError for an HTTP error or an error event
 * inside the stream, a network error, an AbortError): lib/core/answers/errors.ts words it.
 */
export async function streamAnswer(req: StreamRequest): Promise<StreamResult> {
  const stream = await clientFor(req).models.generateContentStream({ model: req.model, contents: req.contents, config: configFor(req) });
  const signals = emptySignals();
  let text = '';
  let usage: Usage | undefined;
  for await (const chunk of stream) {
    const delta = readChunk(signals, chunk as ChunkLike);
    if (delta) {
      text += delta;
      req.onDelta(delta);
    }
    // usageMetadata is a running total: the last one wins.
    usage = usageFrom(chunk.usageMetadata) ?? usage;
  }
  return { text, usage, signals };
}

/** One non-streamed call (used for summaries and scene notes); thought parts are left out of the text. */
export async function generateText(req: Omit<StreamRequest, 'onDelta'>): Promise<StreamResult> {
  const res = await clientFor(req).models.generateContent({ model: req.model, contents: req.contents, config: configFor(req) });
  const signals = emptySignals();
  const text = readChunk(signals, res as ChunkLike);
  return { text, usage: usageFrom(res.usageMetadata), signals };
}

/**
 * Opens a connection to the proxy ahead of a question: `GET /healthz` carries no token and no custom header, so
 * it is a simple CORS request without a preflight, and the connection it leaves open (kept alive by the browser)
 * is the one the question's request then uses instead of setting up TCP, and TLS for https, first. Never rejects.
 */
export async function warmUp(proxyUrl: string): Promise<void> {
  if (!proxyUrl) return;
  try {
    const res = await fetch(`${proxyUrl.replace(/\/+$/, '')}/healthz`, { cache: 'no-store' });
    await res.body?.cancel();
  } catch {
    // Unreachable now: the question will say so in words when it is asked.
  }
}
