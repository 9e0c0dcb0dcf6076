// npm run bench:proxy — what the proxy adds on top of Gemini, measured in one run against the same
// stand-in upstream: direct vs a bare node:http pipe (the floor) vs the proxy. Each server runs in its
// own process (this file, forked with --role), the client here speaks raw node:http.
import { fork, type ChildProcess } from 'node:child_process';
import { createServer, request, Agent, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { availableParallelism, loadavg } from 'node:os';
import { percentile } from './stats.ts';

const TOKEN = 'bench-token';
const MODEL = 'gemini-flash-latest';
const PATH = `/v1beta/models/${MODEL}:streamGenerateContent?alt=sse`;
const SELF = fileURLToPath(import.meta.url);

// ---------- child roles ----------

interface Stats { rssMB: number; maxRssMB: number; cpuMs: number }
const stats = (): Stats => {
  const cpu = process.cpuUsage();
  return { rssMB: process.memoryUsage.rss() / 2 ** 20, maxRssMB: process.resourceUsage().maxRSS / 1024, cpuMs: (cpu.user + cpu.system) / 1000 };
};

async function runRole(role: string, upstream: string): Promise<string> {
  if (role === 'upstream') {
    const { startFakeGemini } = await import('../tests/support/fake-gemini.ts');
    return (await startFakeGemini()).url;
  }
  if (role === 'pipe') {
    // The floor: headers copied, key swapped, bytes piped both ways, nothing else.
    const target = new URL(upstream);
    const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
    const server = createServer((req, res) => {
      const headers = { ...req.headers, host: target.host, 'x-goog-api-key': 'real-key' };
      const up = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers, agent }, (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      });
      up.on('error', () => res.destroy());
      res.on('close', () => { if (!res.writableFinished) up.destroy(); }); // client left mid-answer
      req.pipe(up);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  const { loadProxyConfig, startNodeProxy } = await import('../proxy/node.ts');
  const config = loadProxyConfig({
    GEMINI_API_KEY: 'real-key', PROXY_TOKENS: TOKEN, GEMINI_BASE_URL: upstream, PORT: '0',
    PROXY_RPM: '1000000', PROXY_TOKENS_PER_DAY: '0', PROXY_LOG: 'off',
  });
  return (await startNodeProxy(config)).url;
}


// ---------- client side ----------

interface Server { url: string; child: ChildProcess; stats(): Promise<Stats> }

function startRole(role: string, upstream = ''): Promise<Server> {
  // BENCH_PROF=DIR writes a CPU profile of each proxy process there (read it with any .cpuprofile viewer).
  const prof = process.env.BENCH_PROF && role === 'proxy' ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] : [];
  const child = fork(SELF, ['--role', role, upstream], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [...process.execArgv, ...prof] });
  return new Promise((resolve) => {
    child.once('message', (m) => {
      const url = (m as { url: string }).url;
      resolve({
        url, child,
        stats: () => new Promise((r) => { child.once('message', (s) => r(s as Stats)); child.send('stats'); }),
      });
    });
  });
}

const agent = new Agent({ keepAlive: true, maxSockets: Infinity });

interface Timing { ttfb: number; ttlb: number; ok: boolean }

function stream(base: string, body: Buffer, key: string): Promise<Timing> {
  const url = new URL(base);
  const start = performance.now();
  return new Promise((resolve) => {
    const req = request(
      { host: url.hostname, port: url.port, method: 'POST', path: PATH, agent,
        headers: { 'content-type': 'application/json', 'content-length': body.length, 'x-goog-api-key': key } },
      (res: IncomingMessage) => {
        let ttfb = 0;
        let text = '';
        res.on('data', (d: Buffer) => { if (!ttfb) ttfb = performance.now() - start; text += d.toString(); });
        res.on('end', () => resolve({ ttfb, ttlb: performance.now() - start, ok: res.statusCode === 200 && text.includes('"finishReason"') && !text.includes('"error"') }));
        res.on('error', () => resolve({ ttfb, ttlb: performance.now() - start, ok: false }));
      },
    );
    req.on('error', () => resolve({ ttfb: 0, ttlb: performance.now() - start, ok: false }));
    req.end(body);
  });
}

function requestBody(imageBytes: number): Buffer {
  const parts: unknown[] = [];
  if (imageBytes) parts.push({ inlineData: { mimeType: 'image/jpeg', data: Buffer.alloc(imageBytes, 7).toString('base64') } });
  parts.push({ text: 'What changed on the screen since the last frame?' });
  return Buffer.from(JSON.stringify({ contents: [{ role: 'user', parts }] }));
}

const f = (n: number) => n.toFixed(2).padStart(7);

type Target = 'direct' | 'pipe' | 'proxy';

async function scenario(name: string, urls: Record<Target, string>, body: Buffer, runs: number, concurrency: number) {
  const res: Record<Target, Timing[]> = { direct: [], pipe: [], proxy: [] };
  const keys: Record<Target, string> = { direct: 'real-key', pipe: TOKEN, proxy: TOKEN };
  const order: Target[] = ['direct', 'pipe', 'proxy'];
  for (let round = 0; round < runs; round++) {
    // Rotate which target goes first so drift and warm caches spread evenly.
    for (const t of [...order.slice(round % 3), ...order.slice(0, round % 3)]) {
      res[t].push(...(await Promise.all(Array.from({ length: concurrency }, () => stream(urls[t], body, keys[t])))));
    }
  }
  const errors = (t: Target) => res[t].filter((r) => !r.ok).length;
  const q = (t: Target, k: 'ttfb' | 'ttlb', p: number) => percentile(res[t].filter((r) => r.ok).map((r) => r[k]), p);
  console.log(`\n${name}  (${runs} x ${concurrency} requests per target; errors direct/pipe/proxy ${errors('direct')}/${errors('pipe')}/${errors('proxy')})`);
  console.log('                      p50 TTFB  p99 TTFB  p50 TTLB  p99 TTLB   (ms; "+" = added over direct)');
  for (const t of order) {
    const line = [q(t, 'ttfb', 50), q(t, 'ttfb', 99), q(t, 'ttlb', 50), q(t, 'ttlb', 99)];
    console.log(`  ${t.padEnd(8)} absolute  ${line.map(f).join('   ')}`);
    if (t !== 'direct') {
      const added = [
        q(t, 'ttfb', 50) - q('direct', 'ttfb', 50), q(t, 'ttfb', 99) - q('direct', 'ttfb', 99),
        q(t, 'ttlb', 50) - q('direct', 'ttlb', 50), q(t, 'ttlb', 99) - q('direct', 'ttlb', 99),
      ];
      console.log(`  ${t.padEnd(8)} added    ${added.map((n) => (n >= 0 ? '+' : '') + n.toFixed(2)).map((s) => s.padStart(7)).join('   ')}`);
    }
  }
  return {
    addedTtfb: (t: Target) => q(t, 'ttfb', 50) - q('direct', 'ttfb', 50),
    ttlbRatio: (p: number, t: Target = 'proxy') => q(t, 'ttlb', p) / q('direct', 'ttlb', p),
    errors,
  };
}

/** CPU ms of one request check (decode, JSON.parse, schema, forwarded bytes), median of `runs`, in this process. */
async function checkCost(body: Buffer, runs: number): Promise<number> {
  const { checkModelRequest } = await import('../proxy/request-check.ts');
  const { loadRequestPolicy } = await import('../proxy/config.ts');
  const policy = loadRequestPolicy({});
  const bytes = new Uint8Array(body);
  const times: number[] = [];
  for (let i = 0; i < runs + 5; i++) {
    const t = performance.now();
    if (!checkModelRequest(bytes, 'streamGenerateContent', policy).ok) throw new Error('bench body refused');
    if (i >= 5) times.push(performance.now() - t);
  }
  return percentile(times, 50);
}

function verdict(label: string, figure: string, target: string, pass: boolean) {
  console.log(`  ${pass ? 'PASS' : 'MISS'}  ${label.padEnd(52)} ${figure.padStart(12)}   target ${target}`);
}

async function main() {
  const upstream = await startRole('upstream');
  const pipe = await startRole('pipe', upstream.url);
  const proxy = await startRole('proxy', upstream.url);
  const urls = { direct: upstream.url, pipe: pipe.url, proxy: proxy.url };
  const small = requestBody(0);
  const large = requestBody(1.1 * 2 ** 20); // 1.1 MB of JPEG -> ~1.5 MB of base64 JSON
  console.log(`Sightline proxy benchmark (Node ${process.version}); bodies: small ${small.length} B, large ${(large.length / 2 ** 20).toFixed(2)} MB.`);
  console.log('Upstream: tests/support/fake-gemini.ts, 3 SSE chunks 5 ms apart (TTLB >= 15 ms by design).');
  console.log(`Machine: ${availableParallelism()} cores, load average ${loadavg().map((n) => n.toFixed(1)).join(' ')} at start (other work skews every figure).`);

  await scenario('warm-up', urls, small, 20, 5);
  const cpu0 = (await proxy.stats()).cpuMs;
  let proxyRequests = 0;
  const seqSmall = await scenario('small, sequential', urls, small, 200, 1);
  const seqLarge = await scenario('1.5 MB, sequential', urls, large, 60, 1);
  const conSmall = await scenario('small, 50 concurrent', urls, small, 10, 50);
  const conLarge = await scenario('1.5 MB, 50 concurrent', urls, large, 6, 50);
  proxyRequests += 200 + 60 + 500 + 300;
  const cpuPerRequest = ((await proxy.stats()).cpuMs - cpu0) / proxyRequests;

  // 200 concurrent small streams against a fresh proxy process, to read its peak memory.
  const fresh = await startRole('proxy', upstream.url);
  const burst = await Promise.all(Array.from({ length: 200 }, () => stream(fresh.url, small, TOKEN)));
  const burstErrors = burst.filter((r) => !r.ok).length;
  const freshStats = await fresh.stats();
  const proxyStats = await proxy.stats();

  console.log('\nTargets (figure vs target; the bare pipe is the baseline measured above in this run):');
  for (const [label, s] of [['small', seqSmall], ['1.5 MB', seqLarge]] as const) {
    const ratio = s.addedTtfb('proxy') / Math.max(s.addedTtfb('pipe'), 0.01);
    verdict(`added p50 TTFB, ${label} sequential: proxy / bare pipe`,
      `${s.addedTtfb('proxy').toFixed(2)}/${s.addedTtfb('pipe').toFixed(2)} = ${ratio.toFixed(2)}x`, '<= 2x', ratio <= 2);
  }
  for (const [label, s] of [['small', conSmall], ['1.5 MB', conLarge]] as const) {
    const pipeAdded = s.addedTtfb('pipe');
    const ratio = pipeAdded > 0.05 ? `${(s.addedTtfb('proxy') / pipeAdded).toFixed(2)}x` : 'n/a (pipe added ~0)';
    console.log(`  info  added p50 TTFB, ${label} 50 concurrent: proxy / bare pipe   ${s.addedTtfb('proxy').toFixed(2)}/${pipeAdded.toFixed(2)} = ${ratio}`);
  }
  verdict('50 concurrent 1.5 MB streams: p50 TTLB proxy / direct', `${conLarge.ttlbRatio(50).toFixed(2)}x`, '<= 1.3x', conLarge.ttlbRatio(50) <= 1.3);
  verdict('50 concurrent 1.5 MB streams: p99 TTLB proxy / direct', `${conLarge.ttlbRatio(99).toFixed(2)}x`, '<= 1.3x', conLarge.ttlbRatio(99) <= 1.3);
  console.log(`  info  same for the bare pipe (p50 / p99)                      ${conLarge.ttlbRatio(50, 'pipe').toFixed(2)}x / ${conLarge.ttlbRatio(99, 'pipe').toFixed(2)}x`);
  verdict('200 concurrent small streams: errors', String(burstErrors), '0', burstErrors === 0);
  verdict('200 concurrent small streams: proxy peak RSS', `${freshStats.maxRssMB.toFixed(0)} MB`, '< 150 MB', freshStats.maxRssMB < 150);
  console.log(`  info  proxy CPU per request (all scenarios above)            ${cpuPerRequest.toFixed(2)} ms`);
  console.log(`  info  proxy RSS after all scenarios                         ${proxyStats.rssMB.toFixed(0)} MB (peak ${proxyStats.maxRssMB.toFixed(0)} MB)`);

  const withTools = (b: Buffer) => Buffer.from(JSON.stringify({ ...JSON.parse(b.toString()), tools: [{ functionDeclarations: [{ name: 'now' }] }] }));
  console.log(`  info  request check (parse + schema), small / 1.5 MB          ${(await checkCost(small, 200)).toFixed(3)} / ${(await checkCost(large, 30)).toFixed(2)} ms`);
  console.log(`  info  same with tools (re-serialised), small / 1.5 MB        ${(await checkCost(withTools(small), 200)).toFixed(3)} / ${(await checkCost(withTools(large), 30)).toFixed(2)} ms`);
  console.log(`  info  load average at end                                   ${loadavg().map((n) => n.toFixed(1)).join(' ')}`);
  for (const s of [upstream, pipe, proxy, fresh]) s.child.disconnect(); // children exit on disconnect
  agent.destroy();
}

if (process.argv[2] === '--role') {
  const url = await runRole(process.argv[3]!, process.argv[4] ?? '');
  process.on('disconnect', () => process.exit(0)); // the client side died: don't linger
  process.on('message', (m) => { if (m === 'stats') process.send!(stats()); });
  process.send!({ url });
} else {
  await main();
}
