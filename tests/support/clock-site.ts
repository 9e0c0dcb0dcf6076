/**
 * A page that paints the current time (Date.now() mod 2^32, as 32 black/white blocks) on every animation
 * frame, and a decoder that reads it back from a JPEG: how old the pixels sent with a question really are.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import jpeg from 'jpeg-js';

const COLS = 8;
const ROWS = 4;

const PAGE = `<!doctype html><title>Clock</title><style>html,body{margin:0;height:100%;overflow:hidden}</style>
<canvas id=c></canvas><script>
const c = document.getElementById('c'); const g = c.getContext('2d');
function paint() {
  c.width = innerWidth; c.height = innerHeight;
  const t = Date.now() % 4294967296, w = c.width / ${COLS}, h = c.height / ${ROWS};
  for (let i = 0; i < 32; i++) {
    g.fillStyle = Math.floor(t / 2 ** i) % 2 ? '#fff' : '#000';
    g.fillRect((i % ${COLS}) * w, Math.floor(i / ${COLS}) * h, w + 1, h + 1);
  }
  requestAnimationFrame(paint);
}
paint();
</script>`;

export async function startClockSite(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html');
    res.end(PAGE);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((r) => { server.close(() => r()); server.closeAllConnections(); }),
  };
}

/** The time painted in the frame, as Date.now() mod 2^32. */
export function readClock(base64Jpeg: string): number {
  const img = jpeg.decode(Buffer.from(base64Jpeg, 'base64'), { useTArray: true });
  const w = img.width / COLS;
  const h = img.height / ROWS;
  let t = 0;
  for (let i = 0; i < 32; i++) {
    const x = Math.floor((i % COLS) * w + w / 2);
    const y = Math.floor(Math.floor(i / COLS) * h + h / 2);
    const o = (y * img.width + x) * 4;
    if (img.data[o]! > 128) t += 2 ** i;
  }
  return t;
}

/** now - painted, in ms, across the 2^32 wrap. */
export function clockAge(painted: number, now = Date.now()): number {
  return (now % 4294967296) - painted;
}
