/**
 * A stand-in OpenAI-compatible server (what Ollama, LM Studio, llama.cpp server and vLLM speak): streaming
 * `POST /v1/chat/completions` (SSE `data: {chunk}` lines, then `data: [DONE]`), `GET /v1/models`, and
 * Ollama's own `GET /api/version` and `POST /api/show`. The default answer describes the request (how many
 * images, their colours, the last question), so a test can tell what arrived. `refuse` answers with Ollama's
 * bare 403, as Ollama does to an origin OLLAMA_ORIGINS does not allow: 'browser' refuses requests that carry an
 * Origin header (an extension's), 'all' every request (a Node client sends no Origin).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { averageColor, colorName } from './images.ts';

export interface FakeOpenAi {
  url: string;
  /** Chat requests received, bodies parsed. */
  requests: Array<{ body: ChatBody; headers: IncomingMessage['headers'] }>;
  /** Models listed and known to /api/show; the ones in `vision` can see images. */
  models: string[];
  vision: Set<string>;
  refuse: 'none' | 'browser' | 'all';
  /** Cut the answer after this many characters with finish_reason 'length'. */
  maxChars?: number;
  close(): Promise<void>;
}

interface ChatBody {
  model: string;
  stream?: boolean;
  messages: Array<{ role: string; content: string | Array<{ type: string; text?: string; image_url?: { url: string } }> }>;
  stream_options?: { include_usage?: boolean };
}

/** "2 images: red, blue. Question: What colour is it?" */
export function describeChat(body: ChatBody): string {
  const parts = body.messages.flatMap((m) => (typeof m.content === 'string' ? [{ type: 'text', text: m.content }] : m.content));
  const images = parts.flatMap((p) => (p.type === 'image_url' && p.image_url ? [p.image_url.url.split(',')[1] ?? ''] : []));
  const colours = images.map((data) => colorName(averageColor(data)));
  const user = body.messages.filter((m) => m.role === 'user').at(-1);
  const lastText = typeof user?.content === 'string' ? user.content : (user?.content ?? []).filter((p) => p.type === 'text').map((p) => p.text).join('\n');
  const question = lastText.split('\n').at(-1) ?? '';
  return `${images.length} image${images.length === 1 ? '' : 's'}${colours.length ? `: ${colours.join(', ')}` : ''}. Question: ${question}`;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}

export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const fake: FakeOpenAi = {
    url: '',
    requests: [],
    models: ['llava:7b', 'llama3.2:3b'],
    vision: new Set(['llava:7b']),
    refuse: 'none',
    close: async () => {},
  };
  const server: Server = createServer(async (req, res) => {
    const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*' };
    if (fake.refuse === 'all' || (fake.refuse === 'browser' && req.headers.origin)) {
      res.writeHead(403).end(); // Ollama: a bare 403, no body
      return;
    }
    if (req.method === 'OPTIONS') return void res.writeHead(204, cors).end();
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && path === '/api/version') return void res.writeHead(200, { ...cors, 'content-type': 'application/json' }).end('{"version":"0.12.0"}');
    if (req.method === 'POST' && path === '/api/show') {
      const { model } = (await readJson(req)) as { model: string };
      if (!fake.models.includes(model)) return void res.writeHead(404, cors).end('{"error":"model not found"}');
      const capabilities = ['completion', ...(fake.vision.has(model) ? ['vision'] : [])];
      return void res.writeHead(200, { ...cors, 'content-type': 'application/json' }).end(JSON.stringify({ capabilities }));
    }
    if (req.method === 'GET' && path === '/v1/models') {
      const data = fake.models.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'library' }));
      return void res.writeHead(200, { ...cors, 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data }));
    }
    if (req.method === 'POST' && path === '/v1/chat/completions') {
      const body = (await readJson(req)) as ChatBody;
      fake.requests.push({ body, headers: req.headers });
      if (!fake.models.includes(body.model)) {
        return void res.writeHead(404, { ...cors, 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `model "${body.model}" not found, try pulling it first` } }));
      }
      let answer = describeChat(body);
      const cut = fake.maxChars !== undefined && answer.length > fake.maxChars;
      if (cut) answer = answer.slice(0, fake.maxChars);
      res.writeHead(200, { ...cors, 'content-type': 'text/event-stream' });
      const chunk = (delta: object, finish: string | null, extra: object = {}) =>
        res.write(`data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: body.model, choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`);
      for (const word of answer.match(/\S+\s*/g) ?? []) chunk({ content: word }, null);
      chunk({}, cut ? 'length' : 'stop');
      if (body.stream_options?.include_usage) {
        res.write(`data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: body.model, choices: [], usage: { prompt_tokens: 100, completion_tokens: answer.length, total_tokens: 100 + answer.length } })}\n\n`);
      }
      res.end('data: [DONE]\n\n');
      return;
    }
    res.writeHead(404, cors).end('{"error":"not found"}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise((r) => server.close(() => r()));
  return fake;
}
