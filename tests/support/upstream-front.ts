// One address for the proxy's upstream in end-to-end tests: REST requests go to the stand-in Gemini
// (fake-gemini.ts), WebSocket upgrades (the Live API) and `POST /v1alpha/auth_tokens` (ephemeral Live tokens) to
// the stand-in Live server (fake-live.ts). The proxy
// reaches both through GEMINI_BASE_URL, as it reaches Google's one host. Test-only.
import { createServer, request, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export interface UpstreamFront {
  url: string;
  close(): Promise<void>;
}

/** Starts the front on 127.0.0.1: `restUrl` and `liveUrl` are `http://host:port` of the two stand-ins. */
export async function startUpstreamFront(restUrl: string, liveUrl: string): Promise<UpstreamFront> {
  const rest = new URL(restUrl);
  const live = new URL(liveUrl);
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    // Ephemeral Live tokens are the Live server's (it checks them when the constrained socket opens).
    const to = /^\/+v1alpha\/auth_tokens(\?|$)/.test(req.url ?? '') ? live : rest;
    const out = request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    out.on('error', () => res.destroy());
    req.pipe(out);
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  server.on('upgrade', (req, socket: Socket, head: Buffer) => {
    const up = connect(Number(live.port), live.hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      up.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length) up.write(head);
      up.pipe(socket);
      socket.pipe(up);
    });
    sockets.add(up);
    up.on('close', () => { sockets.delete(up); socket.destroy(); });
    up.on('error', () => socket.destroy());
    socket.on('error', () => up.destroy());
    socket.on('close', () => up.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }),
  };
}
