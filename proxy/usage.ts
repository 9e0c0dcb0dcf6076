// Reads token counts out of Gemini JSON text without parsing the model's chunks: the counts are
// running totals, so the last match in a stream is the final figure.

export interface Usage { prompt: number; answer: number }

const PROMPT = /"promptTokenCount"\s*:\s*(\d+)/g;
const CANDIDATES = /"candidatesTokenCount"\s*:\s*(\d+)/g;
const THOUGHTS = /"thoughtsTokenCount"\s*:\s*(\d+)/g;

function last(re: RegExp, text: string): number | undefined {
  let value: number | undefined;
  for (const m of text.matchAll(re)) value = Number(m[1]);
  return value;
}

/** Updates `usage` with whatever counts appear in `text` (answer = candidates + thoughts, both billed as output). */
export function scanUsage(text: string, usage: Usage & { candidates?: number; thoughts?: number }): void {
  if (!text.includes('TokenCount')) return;
  usage.prompt = last(PROMPT, text) ?? usage.prompt;
  usage.candidates = last(CANDIDATES, text) ?? usage.candidates;
  usage.thoughts = last(THOUGHTS, text) ?? usage.thoughts;
  usage.answer = (usage.candidates ?? 0) + (usage.thoughts ?? 0);
}

/** An SSE event whose payload is Gemini's error object (`data: {"error": ...}`). */
export const ERROR_EVENT = /(^|\n)data:\s*\{\s*"error"\s*:/;
