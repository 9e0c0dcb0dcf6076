/** One streamed answer, handing on only what the person should see. Pure apart from the injected call. */
import type { StreamRequest, StreamResult } from '../transport/gemini.ts';
import { parseAnswer } from '../core/conversation/history.ts';
import { classifyEnding } from '../core/answers/endings.ts';
import type { TurnEnding, Usage } from '../core/types.ts';
import type { AnswerSignals } from '../core/answers/signals.ts';

/** Longest thought summary kept on a turn (characters): it is shown collapsed and stored with the conversation. */
export const MAX_THOUGHTS_CHARS = 20_000;

export interface VisibleAnswer {
  answer: string;
  sceneNote?: string;
  usage?: Usage;
  /** Set unless the answer is complete (endings.ts): always set when `answer` is empty. */
  ending?: TurnEnding;
  /** The model's thought summary, if it sent one: never part of `answer`. */
  thoughts?: string;
  /** The model cannot see pictures: it was sent none (the turn says so). */
  textOnly?: boolean;
  /** It was sent the screen's text read by OCR instead (Turn.ocrModel): the model's name. */
  ocrModel?: string;
  /** How the stream ended, as read (the tool loop classifies the ending of several rounds together). */
  signals?: AnswerSignals;
  /** The functions the model asked to call, and its turn to send back before their responses (tool-loop.ts). */
  calls?: Pick<StreamResult, 'functionCalls' | 'modelParts'>;
}

/**
 * Streams through `call`, reporting the visible answer as it grows: the trailing scene note, and a last line
 * that may be growing into one, are held back (parseAnswer), so the panel never shows them. The result says how
 * the answer ended, so the manager stores the sentence with the turn.
 */
export async function streamVisibleAnswer(
  call: (req: StreamRequest) => Promise<StreamResult>,
  req: Omit<StreamRequest, 'onDelta'>,
  onVisible: (visible: string) => void,
): Promise<VisibleAnswer> {
  let raw = '';
  let shown = '';
  const result = await call({
    ...req,
    onDelta: (delta) => {
      raw += delta;
      const visible = parseAnswer(raw).answer;
      if (visible === shown) return;
      shown = visible;
      onVisible(visible);
    },
  });
  const parsed = parseAnswer(result.text);
  const ending = classifyEnding(result.signals, parsed.answer);
  const thoughts = result.signals?.thoughts.trim().slice(0, MAX_THOUGHTS_CHARS);
  const calls = result.functionCalls?.length ? { functionCalls: result.functionCalls, modelParts: result.modelParts } : undefined;
  return {
    ...parsed,
    usage: result.usage,
    ...(ending ? { ending } : {}),
    ...(thoughts ? { thoughts } : {}),
    ...(result.textOnly ? { textOnly: true } : {}),
    ...(result.ocrModel ? { ocrModel: result.ocrModel } : {}),
    ...(result.signals ? { signals: result.signals } : {}),
    ...(calls ? { calls } : {}),
  };
}
