// HTTP/1.1 clients over a bare socket, for what fetch hides: a client that uploads its whole body before it
// reads a byte of the answer (as a browser may), so an early answer followed by a close shows up as the
// reset it causes instead of being rescued by a client that reads while it writes.
import { request, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface RawAnswer {
  /** HTTP status, or 0 when the connection failed before a whole answer arrived. */
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The socket error (EPIPE, ECONNRESET) when the connection failed. */
  error?: string;
}

/**
 * POSTs `size` bytes of `A` to `base` + `path`, with a Content-Length or chunked, writing all of it before
 * reading (the socket is paused until the last byte is handed to the kernel). Resolves with the answer once
 * its headers and Content-Length bytes arrived (a keep-alive server need not close), or with the error.
 */
export function uploadThenRead(base: string, path: string, headers: Record<string, string>, size: number, chunked = false): Promise<RawAnswer> {
  const url = new URL(base);
  return new Promise((resolve) => {
    const socket = connect(Number(url.port), url.hostname);
    socket.pause();
    let buf = Buffer.alloc(0);
    let settled = false;
    const done = (a: RawAnswer) => { if (!settled) { settled = true; socket.destroy(); resolve(a); } };
    socket.on('error', (e: NodeJS.ErrnoException) => done({ status: 0, headers: {}, body: buf.toString(), error: e.code ?? e.message }));
    socket.on('close', () => done({ status: 0, headers: {}, body: buf.toString(), error: 'closed before a whole answer' }));
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const [statusLine, ...lines] = buf.subarray(0, end).toString().split('\r\n');
      const h: Record<string, string> = {};
      for (const l of lines) { const i = l.indexOf(':'); h[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim(); }
      const length = Number(h['content-length'] ?? NaN);
      if (Number.isFinite(length) && buf.length - end - 4 < length) return;
      done({ status: Number(statusLine!.split(' ')[1]), headers: h, body: buf.subarray(end + 4).toString() });
    });
    socket.on('connect', () => {
      const head = [`POST ${path} HTTP/1.1`, `host: ${url.host}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
        chunked ? 'transfer-encoding: chunked' : `content-length: ${size}`, '', ''].join('\r\n');
      socket.write(head);
      const body = Buffer.alloc(size, 65);
      const read = () => socket.resume();
      if (chunked) { socket.write(`${size.toString(16)}\r\n`); socket.write(body); socket.write('\r\n0\r\n\r\n', read); }
      else socket.write(body, read);
    });
  });
}

/** One POST over node:http, which decodes nothing: the answer's bytes exactly as its headers frame them. */
export function rawPost(base: string, path: string, headers: Record<string, string>, body: string): Promise<{ status: number; headers: IncomingHttpHeaders; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), { method: 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * The text the answer's headers say its bytes hold: gunzipped when Content-Encoding says gzip (workerd
 * compresses for clients that accept it, as Cloudflare's edge does), as is otherwise. Throws when the
 * headers misdescribe the bytes (a Content-Length that is not their length, an encoding they are not in).
 */
export function describedText(answer: { headers: IncomingHttpHeaders; bytes: Buffer }): string {
  const length = answer.headers['content-length'];
  if (length !== undefined && Number(length) !== answer.bytes.length) throw new Error(`content-length ${length} but ${answer.bytes.length} bytes`);
  const encoding = answer.headers['content-encoding'];
  if (encoding === undefined || encoding === 'identity') return answer.bytes.toString('utf8');
  if (encoding === 'gzip') return gunzipSync(answer.bytes).toString('utf8');
  throw new Error(`unexpected content-encoding ${encoding}`);
}
