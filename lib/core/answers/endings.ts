/**
 * How an answer ended: ONE classification of Gemini's finishReason, promptFeedback.blockReason, thoughts-only and
 * empty streams into a sentence a person understands, used by the manager (stored on the Turn), the panel and the
 * history builder. Pure.
 *
 * Values from the REST reference (https://ai.google.dev/api/generate-content#FinishReason and #BlockReason) and the
 * SDK's enums (@google/genai 3.3 `FinishReason`, `BlockedReason`); a value not listed here still gets a sentence.
 */
import type { EndingKind, Turn, TurnEnding, UserErrorAction } from '../types.ts';
import type { AnswerSignals } from './signals.ts';

interface Rule {
  kind: EndingKind;
  /** When some text arrived before Gemini stopped (the text is kept, marked incomplete). */
  withText: string;
  /** When nothing visible arrived. */
  withoutText: string;
  action?: UserErrorAction;
}

const SAFETY: Rule = {
  kind: 'safety',
  withText: 'Gemini stopped this answer part-way: it judged the rest unsafe. What arrived is kept; ask in other words for more.',
  withoutText: 'Gemini would not answer this: it judged the answer unsafe. Ask in other words.',
  action: 'edit-question',
};

const IMAGE: Rule = {
  kind: 'image-safety',
  withText: 'Gemini stopped this answer part-way because of what the picture shows. What arrived is kept; hide that part or share something else to ask again.',
  withoutText: 'Gemini would not answer because of what the shared picture shows. Hide that part or share something else, then ask again.',
  action: 'edit-question',
};

const TOOLS: Rule = {
  kind: 'tool-call',
  withText: 'Gemini stopped this answer part-way while trying to use a tool Sightline does not offer. What arrived is kept; ask again for more.',
  withoutText: 'Gemini tried to use a tool Sightline does not offer and wrote no answer. Ask again.',
  action: 'retry',
};

const OTHER: Rule = {
  kind: 'other',
  withText: 'Gemini stopped this answer part-way without saying why. What arrived is kept; ask again for more.',
  withoutText: 'Gemini stopped without answering and did not say why. Ask again, perhaps in other words.',
  action: 'retry',
};

/** finishReason -> what it means here. STOP is absent: it is the normal end. */
const FINISH_RULES: Record<string, Rule> = {
  MAX_TOKENS: {
    kind: 'cut-short',
    withText: 'Gemini stopped here: the answer reached its length limit. Ask for the rest, or ask something narrower.',
    withoutText: 'Gemini reached its length limit before writing anything. Ask again, perhaps something narrower.',
    action: 'retry',
  },
  SAFETY,
  RECITATION: {
    kind: 'recitation',
    withText: 'Gemini stopped this answer part-way: it was repeating a published source word for word. What arrived is kept; ask for a summary instead.',
    withoutText: 'Gemini would not answer: the answer would repeat a published source word for word. Ask for a summary instead.',
    action: 'edit-question',
  },
  LANGUAGE: {
    kind: 'language',
    withText: 'Gemini stopped this answer part-way: it was in a language Gemini does not support. Ask again in another language.',
    withoutText: 'Gemini would not answer in this language. Ask again in another language, such as English.',
    action: 'edit-question',
  },
  BLOCKLIST: {
    kind: 'blocklist',
    withText: 'Gemini stopped this answer part-way: it contained a blocked term. What arrived is kept; ask in other words.',
    withoutText: 'Gemini would not answer: the answer contained a blocked term. Ask in other words.',
    action: 'edit-question',
  },
  PROHIBITED_CONTENT: {
    kind: 'prohibited',
    withText: 'Gemini stopped this answer part-way: it judged the rest prohibited content. What arrived is kept; ask about something else.',
    withoutText: 'Gemini would not answer: it judged the answer prohibited content. Ask about something else.',
    action: 'edit-question',
  },
  SPII: {
    kind: 'personal-info',
    withText: 'Gemini stopped this answer part-way: it would have repeated sensitive personal information (such as ID or card numbers) from the screen. What arrived is kept; hide that part of the screen to ask again.',
    withoutText: 'Gemini would not answer: the answer would repeat sensitive personal information (such as ID or card numbers) from the screen. Hide that part of the screen, or ask about something else.',
    action: 'edit-question',
  },
  IMAGE_SAFETY: IMAGE,
  IMAGE_PROHIBITED_CONTENT: IMAGE,
  IMAGE_RECITATION: IMAGE,
  IMAGE_OTHER: IMAGE,
  NO_IMAGE: IMAGE,
  MALFORMED_FUNCTION_CALL: TOOLS,
  UNEXPECTED_TOOL_CALL: TOOLS,
  TOO_MANY_TOOL_CALLS: TOOLS,
  OTHER,
  FINISH_REASON_UNSPECIFIED: OTHER,
  MALFORMED_RESPONSE: OTHER,
  MISSING_THOUGHT_SIGNATURE: OTHER,
};

/** promptFeedback.blockReason -> why the question was refused before any answer. */
const BLOCK_SENTENCES: Record<string, string> = {
  SAFETY: 'Gemini refused this question for safety reasons and did not answer. It also judges the shared picture: ask in other words, or hide or stop sharing what it may object to.',
  PROHIBITED_CONTENT: 'Gemini refused this question: it judged the question or the shared picture prohibited content, and did not answer. Change the question or what you share.',
  BLOCKLIST: 'Gemini refused this question because it contains a blocked term, and did not answer. Ask in other words.',
  IMAGE_SAFETY: 'Gemini refused this question because of what the shared picture shows, and did not answer. Hide that part or share something else, then ask again.',
};
const BLOCK_OTHER = 'Gemini refused this question without saying why, and did not answer. Ask in other words, or share something else.';

function ending(rule: Pick<Rule, 'kind' | 'action'>, message: string, incomplete: boolean, reason?: string): TurnEnding {
  return { kind: rule.kind, message, incomplete, ...(rule.action ? { action: rule.action } : {}), ...(reason ? { reason } : {}) };
}

/**
 * Classifies how an answer ended. `visibleText` is the answer the person sees (scene note stripped).
 * Returns undefined for a complete answer (text, and finishReason STOP), else the ending to store on the Turn.
 * `signals` undefined means the caller could not tell (a test double): text then counts as complete.
 * Never returns undefined when there is no visible text, so no answer bubble can be empty.
 */
export function classifyEnding(signals: AnswerSignals | undefined, visibleText: string): TurnEnding | undefined {
  const hasText = visibleText.trim().length > 0;
  if (!signals) {
    return hasText ? undefined : ending({ kind: 'empty', action: 'retry' }, 'Gemini finished without writing an answer. Ask again, perhaps in other words.', false);
  }
  const { finishReason: reason, blockReason } = signals;

  if (blockReason) {
    const message = BLOCK_SENTENCES[blockReason] ?? BLOCK_OTHER;
    return ending({ kind: 'prompt-blocked', action: 'edit-question' }, message, hasText, blockReason);
  }
  const thought = signals.thoughts.trim().length > 0 || signals.thoughtsTokens > 0;
  if (reason && reason !== 'STOP') {
    const rule = FINISH_RULES[reason];
    if (!hasText && thought && reason === 'MAX_TOKENS') {
      return ending({ kind: 'thinking-only', action: 'retry' },
        'Gemini spent the whole answer length thinking and wrote no answer. Ask again, perhaps something narrower.', false, reason);
    }
    if (rule) return ending(rule, hasText ? rule.withText : rule.withoutText, hasText, reason);
    // A finishReason newer than this code: still a sentence, never silence.
    const unknown = hasText
      ? `Gemini stopped this answer part-way for a reason Sightline does not know yet (“${reason}”). What arrived is kept; ask again for more.`
      : `Gemini stopped without answering, for a reason Sightline does not know yet (“${reason}”). Ask again.`;
    return ending(OTHER, unknown, hasText, reason);
  }
  if (hasText) {
    if (reason === 'STOP') return undefined;
    // Text, then the stream ended without a finishReason: whatever framing cut it (an error event the SDK passes
    // over, a proxy closing cleanly), Gemini never said it was done.
    return ending({ kind: 'unfinished', action: 'retry' },
      'The answer stopped before Gemini said it was finished. What arrived is kept; ask again for the rest.', true);
  }
  if (thought) {
    return ending({ kind: 'thinking-only', action: 'retry' }, 'Gemini thought about this but wrote no answer. Ask again, perhaps in other words.', false, reason);
  }
  if (reason === 'STOP') {
    return ending({ kind: 'empty', action: 'retry' }, 'Gemini finished without writing an answer. Ask again, perhaps in other words.', false, reason);
  }
  if (signals.candidates > 0) {
    return ending({ kind: 'unfinished', action: 'retry' }, 'Gemini’s answer ended before any words arrived. Ask again.', false);
  }
  return ending({ kind: 'no-answer', action: 'retry' },
    signals.chunks > 0
      ? 'Gemini sent no answer at all, only its token counts. Ask again.'
      : 'Gemini’s reply was empty. Ask again.', false);
}

/** True when the turn shows text that was cut before Gemini finished it (an ending, an error or a stop mid-answer). */
export function isIncomplete(turn: Pick<Turn, 'answer' | 'status' | 'ending'>): boolean {
  if (turn.ending) return turn.ending.incomplete;
  return turn.answer.trim().length > 0 && (turn.status === 'error' || turn.status === 'stopped');
}

/**
 * A turn whose question Gemini refused as a whole is left out of later requests: sent again, the same question and
 * picture would be refused again, and the next question with them.
 */
export function leftOutOfHistory(turn: Pick<Turn, 'ending'>): boolean {
  return turn.ending?.kind === 'prompt-blocked';
}

/**
 * The model turn's text in later requests when the answer has no visible text: never empty (Gemini answers 400 to a
 * model turn without parts) and never the thoughts.
 */
export function noAnswerPlaceholder(turn: Pick<Turn, 'status' | 'ending'>): string {
  if (turn.ending) return `(No answer: ${turn.ending.kind.replace(/-/g, ' ')}.)`;
  return turn.status === 'error' ? '(No answer: the request failed.)' : '(No answer: it was stopped.)';
}
