/**
 * The model call when an OpenAI-compatible server answers (Settings → backend 'openai'): the same request and
 * result as the Gemini path (StreamRequest / StreamResult), so history, compaction, the cost meter, hidden
 * regions and private sites work unchanged. OpenAI's finish_reason becomes Gemini's finishReason for the ending
 * classification; the server's errors are worded here (WordedError).
 */
import { WordedError } from '../core/answers/errors.ts';
import { emptySignals } from '../core/answers/signals.ts';
import type { ChatServer } from '../core/settings.ts';
import type { StreamRequest, StreamResult } from './gemini.ts';
import { chatBackendError, ollamaVision, streamChatCompletion } from './openai.ts';
import { readScreenTexts, type ReadText } from './ocr-text.ts';

/** OpenAI finish_reason → Gemini finishReason (https://platform.openai.com/docs/api-reference/chat/object). */
const FINISH: Record<string, string> = { stop: 'STOP', length: 'MAX_TOKENS', content_filter: 'SAFETY', tool_calls: 'MALFORMED_FUNCTION_CALL' };

/** Ollama listens on 11434 (https://github.com/ollama/ollama/blob/main/docs/faq.md): its model info says what it can see. */
export function ollamaRootOf(baseUrl: string): string | undefined {
  try {
    const url = new URL(baseUrl);
    return url.port === '11434' ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

const visionCache = new Map<string, boolean>();

/** Whether to send pictures: the setting, or for 'auto' Ollama's model info (cached per server and model), else yes. */
export async function canSee(server: ChatServer, model: string): Promise<boolean> {
  if (server.vision !== 'auto') return server.vision === 'yes';
  const root = ollamaRootOf(server.baseUrl);
  if (!root) return true;
  const key = `${root} ${model}`;
  const known = visionCache.get(key);
  if (known !== undefined) return known;
  const seen = await ollamaVision(root, model);
  if (seen !== undefined) visionCache.set(key, seen);
  return seen ?? true;
}

/**
 * Streams one answer from the OpenAI-compatible server in `req.chat`. A model that cannot see pictures gets the
 * newest question's pictures as their text, read by `req.ocr` (lib/transport/ocr-text.ts), when given; without it,
 * or when OCR reads nothing, a note that a picture was left out. Rejects with a WordedError.
 */
export async function streamViaChat(req: StreamRequest & { chat: ChatServer; ocr?: ReadText }): Promise<StreamResult> {
  const server = req.chat;
  const ollama = ollamaRootOf(server.baseUrl) !== undefined;
  try {
    const vision = await canSee(server, req.model);
    const texts = !vision && req.ocr ? await readScreenTexts(req.contents, req.ocr) : undefined;
    const result = await streamChatCompletion({
      baseUrl: server.baseUrl,
      apiKey: server.apiKey,
      model: req.model,
      contents: req.contents,
      systemInstruction: req.systemInstruction,
      vision,
      ...(texts ? { ocrText: texts.lookup } : {}),
      signal: req.signal,
      onDelta: req.onDelta,
    });
    const signals = { ...emptySignals(), chunks: 1, candidates: result.text ? 1 : 0 };
    const finishReason = result.finishReason ? (FINISH[result.finishReason] ?? 'OTHER') : undefined;
    return {
      text: result.text,
      usage: result.usage,
      signals: { ...signals, ...(finishReason ? { finishReason } : {}) },
      textOnly: !vision,
      ...(texts?.read ? { ocrModel: req.model } : {}),
    };
  } catch (err) {
    if (req.signal?.aborted) throw err;
    throw new WordedError(chatBackendError(err, { baseUrl: server.baseUrl, model: req.model, ollama }));
  }
}
