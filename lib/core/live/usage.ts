// Token counting for a Live conversation. The Live API reports `usageMetadata` on server messages
// (promptTokenCount, responseTokenCount, totalTokenCount, ...: https://ai.google.dev/api/live#usagemetadata),
// and billing counts the whole context again on every turn, so the conversation's cost is the sum
// over turns. Within one turn a figure may be repeated or grow, so each turn contributes its largest
// report, added when the turn ends (complete, interrupted, or cut by a lost connection).

/** The fields of `usageMetadata` this meter reads. */
export interface LiveUsageReport {
  promptTokenCount?: number;
  responseTokenCount?: number;
  thoughtsTokenCount?: number;
  toolUsePromptTokenCount?: number;
  totalTokenCount?: number;
}

/** Tokens of one turn or a whole conversation. */
export interface LiveTokens {
  prompt: number;
  /** Response plus thoughts (both billed as output). */
  response: number;
  total: number;
}

const zero = (): LiveTokens => ({ prompt: 0, response: 0, total: 0 });

function tokensOf(u: LiveUsageReport): LiveTokens {
  const prompt = (u.promptTokenCount ?? 0) + (u.toolUsePromptTokenCount ?? 0);
  const response = (u.responseTokenCount ?? 0) + (u.thoughtsTokenCount ?? 0);
  return { prompt, response, total: Math.max(u.totalTokenCount ?? 0, prompt + response) };
}

/** Sums a conversation's usage turn by turn. */
export class LiveUsageMeter {
  private turn: LiveTokens | null = null;
  private sum = zero();
  turns = 0;

  /** A `usageMetadata` arrived. */
  observe(u: LiveUsageReport): void {
    const t = tokensOf(u);
    if (!this.turn || t.total >= this.turn.total) this.turn = t;
  }

  /** The turn ended; returns its tokens (zero if nothing was reported). */
  endTurn(): LiveTokens {
    const t = this.turn ?? zero();
    this.turn = null;
    if (t.total > 0) this.turns++;
    this.sum = { prompt: this.sum.prompt + t.prompt, response: this.sum.response + t.response, total: this.sum.total + t.total };
    return t;
  }

  /** Sum of every ended turn plus the one in progress. */
  get total(): LiveTokens {
    const t = this.turn ?? zero();
    return { prompt: this.sum.prompt + t.prompt, response: this.sum.response + t.response, total: this.sum.total + t.total };
  }
}

/** Milliseconds in a protobuf Duration as JSON ("50s", "1.5s", "0.250s"); NaN if unreadable. */
export function durationMs(value: unknown): number {
  if (typeof value === 'number') return value * 1000;
  if (typeof value !== 'string') return NaN;
  const m = /^(-?\d+(?:\.\d+)?)s$/.exec(value.trim());
  return m ? Number(m[1]) * 1000 : NaN;
}
