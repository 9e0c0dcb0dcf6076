/**
 * What a streamed Gemini answer said about itself, gathered chunk by chunk. Pure.
 *
 * Reads each chunk's candidates and parts directly rather than the SDK's `chunk.text`: that getter skips thought
 * parts in @google/genai 3.x but concatenated them in earlier versions, warns on every non-text part, and says
 * nothing of why an answer ended. Shapes follow the REST reference of GenerateContentResponse
 * (https://ai.google.dev/api/generate-content#generatecontentresponse); the odd-but-real ones (no candidates,
 * usage-only events, thought-only parts, empty text parts carrying a thoughtSignature) are listed in
 * /work/shared/notes/platform-facts.md, "Added November 29".
 */

/** The fields of one streamed GenerateContentResponse this reads (the SDK's class and raw JSON both fit). */
export interface ChunkLike {
  candidates?: Array<{
    content?: { parts?: Array<{ text?: string; thought?: boolean }> };
    finishReason?: string;
    index?: number;
  }>;
  promptFeedback?: { blockReason?: string };
  usageMetadata?: { thoughtsTokenCount?: number; candidatesTokenCount?: number };
}

/** Everything the ending classification (endings.ts) needs from one streamed answer. */
export interface AnswerSignals {
  /** The first candidate's last finishReason, as sent (`STOP`, `MAX_TOKENS`, ... or one this code does not know). */
  finishReason?: string;
  /** promptFeedback.blockReason: the prompt was refused as a whole (then there are no candidates). */
  blockReason?: string;
  /** Thought-summary text (parts with `thought: true`), in order. Never part of the answer. */
  thoughts: string;
  /** usageMetadata.thoughtsTokenCount of the last chunk that had it (a running total): thinking tokens spent. */
  thoughtsTokens: number;
  /** Chunks that carried a candidate. */
  candidates: number;
  /** Chunks received at all (usage-only and empty ones included). */
  chunks: number;
}

export function emptySignals(): AnswerSignals {
  return { thoughts: '', thoughtsTokens: 0, candidates: 0, chunks: 0 };
}

/**
 * Folds one chunk into `signals` (mutated, for speed on long streams) and returns the chunk's answer text:
 * non-thought text parts of the first candidate, concatenated ('' when none). Other candidates are ignored: the
 * request never asks for more than one.
 */
export function readChunk(signals: AnswerSignals, chunk: ChunkLike): string {
  signals.chunks++;
  const blocked = chunk.promptFeedback?.blockReason;
  if (blocked) signals.blockReason = blocked;
  const thoughts = chunk.usageMetadata?.thoughtsTokenCount;
  if (typeof thoughts === 'number') signals.thoughtsTokens = thoughts;
  const candidate = chunk.candidates?.find((c) => (c.index ?? 0) === 0) ?? chunk.candidates?.[0];
  if (!candidate) return '';
  signals.candidates++;
  if (candidate.finishReason) signals.finishReason = candidate.finishReason;
  let text = '';
  for (const part of candidate.content?.parts ?? []) {
    if (typeof part.text !== 'string') continue;
    if (part.thought === true) signals.thoughts += part.text;
    else text += part.text;
  }
  return text;
}
