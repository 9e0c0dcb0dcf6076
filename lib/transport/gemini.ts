/**
 * The model transport: one streamed generateContent call through the user's proxy, with the official SDK.
 * The proxy speaks Gemini's REST API, so the SDK is used unchanged: baseUrl = proxy, apiKey = access token.
 */
import {
  FunctionCallingConfigMode,
  GoogleGenAI,
  type Content,
  type FunctionCall,
  type FunctionDeclaration,
  type GenerateContentResponse,
  type GenerateContentResponseUsageMetadata,
  type Part,
} from '@google/genai';
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
  /**
   * Functions the model may call (lib/core/tools/declarations.ts). mode 'NONE' keeps them declared (the
   * history may hold calls to them) but asks for text only: the last round of a tool loop.
   * https://ai.google.dev/gemini-api/docs/function-calling, "Function calling modes".
   */
  tools?: { declarations: FunctionDeclaration[]; mode: 'AUTO' | 'NONE' };
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
  /** The text-only model (its name) was sent the screen's text, read by OCR, in place of the question's picture. */
  ocrModel?: string;
  /** The functions the model asked to call, in order; absent when it called none. */
  functionCalls?: FunctionCall[];
  /**
   * The model's turn as it must be sent back before the functions' responses: every part verbatim (function
   * calls with their thoughtSignature; Gemini 3 answers 400 when a signature is missing), adjacent plain text
   * joined. Set only when there are functionCalls.
   */
  modelParts?: Part[];
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
  const tools = req.tools?.declarations.length ? req.tools : undefined;
  const mode = tools?.mode === 'NONE' ? FunctionCallingConfigMode.NONE : FunctionCallingConfigMode.AUTO;
  return {
    abortSignal: req.signal,
    ...(req.systemInstruction ? { systemInstruction: req.systemInstruction } : {}),
    ...(tools ? { tools: [{ functionDeclarations: tools.declarations }], toolConfig: { functionCallingConfig: { mode } } } : {}),
  };
}

/** Adds a chunk's parts of the first candidate to `parts`, joining plain text onto plain text. */
function keepParts(parts: Part[], chunk: GenerateContentResponse): void {
  const candidate = chunk.candidates?.find((c) => (c.index ?? 0) === 0) ?? chunk.candidates?.[0];
  for (const part of candidate?.content?.parts ?? []) {
    const last = parts.at(-1);
    const plain = (p: Part) => typeof p.text === 'string' && !p.thought && !p.thoughtSignature && Object.keys(p).length === 1;
    if (last && plain(last) && plain(part)) parts[parts.length - 1] = { text: last.text! + part.text! };
    else parts.push(part);
  }
}

/** The function calls among a model turn's parts; undefined when there are none. */
function callsOf(parts: Part[]): FunctionCall[] | undefined {
  const calls = parts.flatMap((p) => (p.functionCall ? [p.functionCall] : []));
  return calls.length ? calls : undefined;
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
  const parts: Part[] = [];
  for await (const chunk of stream) {
    const delta = readChunk(signals, chunk as ChunkLike);
    if (delta) {
      text += delta;
      req.onDelta(delta);
    }
    if (req.tools) keepParts(parts, chunk);
    // usageMetadata is a running total: the last one wins.
    usage = usageFrom(chunk.usageMetadata) ?? usage;
  }
  const functionCalls = callsOf(parts);
  return { text, usage, signals, ...(functionCalls ? { functionCalls, modelParts: parts } : {}) };
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
