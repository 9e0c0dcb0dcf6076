// The same proxy contract, on the local Cloudflare Workers runtime.
import { describe } from 'vitest';
import { bundleWorker, startWorker } from './workers-runtime.ts';
import { describeProxyContract } from './proxy-contract.ts';
import { describeProxyEdges } from './proxy-edges.ts';

let bundle: string | undefined;

describe('Workers runtime', () => {
  const start = async (env: Record<string, string>) => startWorker((bundle ??= bundleWorker()), env);
  describeProxyContract('Workers', start);
  describeProxyEdges('Workers', start);
});
