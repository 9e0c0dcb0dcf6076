/**
 * Gemini-shaped request → OpenAI chat-completions messages. The conversation core builds one request shape
 * (Gemini's `contents`: lib/core/conversation/history.ts); backends that speak the OpenAI-compatible API
 * (Ollama, LM Studio, llama.cpp server, vLLM, OpenRouter) get the same content mapped here. Pure.
 * Image parts become `image_url` parts with a data URL (the format every one of those servers accepts:
 * https://platform.openai.com/docs/guides/images-vision). For a model that cannot see images, each image is
 * replaced by the text `ocr(image)` gives, or by a note that a picture was left out.
 */
import type { Content } from '@google/genai';

/** The subset of OpenAI's ChatCompletionMessageParam this mapping produces. */
export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'assistant'; content: string }
  | { role: 'user'; content: string | ChatUserPart[] };

export type ChatUserPart = { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } };

export interface MappingOptions {
  /** False for a text-only model: images go as text instead. */
  vision: boolean;
  /** The screen's text for an image (by its base64 data), for text-only models; absent: a note says one was left out. */
  ocrText?: (base64: string) => string | undefined;
}

/** A text-only model is told what stands in for the picture, so it does not pretend to see it. */
export const IMAGE_LEFT_OUT = '[A picture of the shared screen was here; this model cannot see pictures.]';
export const ocrNote = (text: string) => `[Text read from the shared screen (OCR), since this model cannot see pictures:]\n${text}`;

/**
 * Maps Gemini `contents` (roles 'user' / 'model') and a system instruction to chat messages.
 * Thought parts are dropped: they are never replayed to a model as plain text.
 */
export function toChatMessages(contents: Content[], systemInstruction: string | undefined, opts: MappingOptions): ChatMessage[] {
  const messages: ChatMessage[] = systemInstruction ? [{ role: 'system', content: systemInstruction }] : [];
  for (const content of contents) {
    const parts = (content.parts ?? []).filter((p) => !p.thought);
    if (content.role === 'model') {
      const text = parts.map((p) => p.text ?? '').join('');
      if (text) messages.push({ role: 'assistant', content: text });
      continue;
    }
    const out: ChatUserPart[] = [];
    for (const p of parts) {
      if (p.text) out.push({ type: 'text', text: p.text });
      const data = p.inlineData?.data;
      if (!data) continue;
      if (opts.vision) {
        out.push({ type: 'image_url', image_url: { url: `data:${p.inlineData?.mimeType ?? 'image/jpeg'};base64,${data}` } });
      } else {
        const text = opts.ocrText?.(data);
        out.push({ type: 'text', text: text ? ocrNote(text) : IMAGE_LEFT_OUT });
      }
    }
    if (out.length === 0) continue;
    // Text-only content as a plain string: the widest-supported form (some local servers reject part arrays).
    messages.push({ role: 'user', content: out.every((p) => p.type === 'text') ? out.map((p) => (p as { text: string }).text).join('\n') : out });
  }
  return messages;
}
