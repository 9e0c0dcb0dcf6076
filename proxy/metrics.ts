// Prometheus text exposition, kept in memory (per process on Node, per isolate on Workers).

const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** Request counts, upstream latency histogram, token totals and open streams; rendered as Prometheus text. */
export class Metrics {
  private requests = new Map<string, number>();
  private latency = new Map<string, { buckets: number[]; sum: number; count: number }>();
  promptTokens = 0;
  answerTokens = 0;
  openStreams = 0;

  countRequest(route: string, status: number): void {
    const key = `route="${route}",status="${status}"`;
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
  }

  /** Time from sending upstream to upstream response headers. */
  observeUpstream(route: string, seconds: number): void {
    let h = this.latency.get(route);
    if (!h) this.latency.set(route, (h = { buckets: LATENCY_BUCKETS.map(() => 0), sum: 0, count: 0 }));
    LATENCY_BUCKETS.forEach((le, i) => { if (seconds <= le) h.buckets[i]!++; });
    h.sum += seconds;
    h.count++;
  }

  addTokens(prompt: number, answer: number): void {
    this.promptTokens += prompt;
    this.answerTokens += answer;
  }

  render(): string {
    const out: string[] = [
      '# HELP proxy_requests_total Requests answered, by route and HTTP status.',
      '# TYPE proxy_requests_total counter',
    ];
    for (const [labels, n] of this.requests) out.push(`proxy_requests_total{${labels}} ${n}`);
    out.push(
      '# HELP proxy_upstream_latency_seconds Time until Gemini answered with headers.',
      '# TYPE proxy_upstream_latency_seconds histogram',
    );
    for (const [route, h] of this.latency) {
      LATENCY_BUCKETS.forEach((le, i) => out.push(`proxy_upstream_latency_seconds_bucket{route="${route}",le="${le}"} ${h.buckets[i]}`));
      out.push(`proxy_upstream_latency_seconds_bucket{route="${route}",le="+Inf"} ${h.count}`);
      out.push(`proxy_upstream_latency_seconds_sum{route="${route}"} ${h.sum}`);
      out.push(`proxy_upstream_latency_seconds_count{route="${route}"} ${h.count}`);
    }
    out.push(
      '# HELP proxy_prompt_tokens_total Prompt tokens reported by Gemini usageMetadata.',
      '# TYPE proxy_prompt_tokens_total counter',
      `proxy_prompt_tokens_total ${this.promptTokens}`,
      '# HELP proxy_answer_tokens_total Answer (candidates + thoughts) tokens reported by Gemini usageMetadata.',
      '# TYPE proxy_answer_tokens_total counter',
      `proxy_answer_tokens_total ${this.answerTokens}`,
      '# HELP proxy_open_streams Streams being relayed right now.',
      '# TYPE proxy_open_streams gauge',
      `proxy_open_streams ${this.openStreams}`,
    );
    return out.join('\n') + '\n';
  }
}
