/** A page in four coloured quarters (red, green / blue, black), a line of small text, and a looping tone. Test-only. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Serves the page at `/` (`window.allBlue()` covers it in blue) and `wav` at `/tone.wav` (`<audio id="tone">`). */
export async function startQuarterSite(wav: Buffer = Buffer.alloc(0)): Promise<{ url: string; close(): Promise<void> }> {
  const page = `<!doctype html><html lang="en"><title>Quarters</title>
<style>html,body{margin:0;height:100%;overflow:hidden} .q{position:fixed;width:50%;height:50%} #all{position:fixed;inset:0;display:none;background:rgb(0,0,220)}
#t{position:fixed;right:8px;bottom:8px;margin:0;font:14px sans-serif;color:#ddd}</style>
<div class="q" style="left:0;top:0;background:rgb(220,0,0)"></div><div class="q" style="left:50%;top:0;background:rgb(0,170,0)"></div>
<div class="q" style="left:0;top:50%;background:rgb(0,0,220)"></div><div class="q" style="left:50%;top:50%;background:rgb(0,0,0)"></div>
<p id="t">Quarterly notes: the password is marmalade.</p><div id="all"></div>
<audio id="tone" src="/tone.wav" loop></audio>
<script>window.allBlue = () => { document.getElementById('all').style.display = 'block'; };</script></html>`;
  const server: Server = createServer((req, res) => {
    if (req.url === '/tone.wav') {
      res.setHeader('content-type', 'audio/wav');
      return void res.end(wav);
    }
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end(page);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => { server.close(() => r()); server.closeAllConnections(); }) };
}

