// The same proxy contract, on the local Cloudflare Workers runtime.
import { describe } from 'vitest';
import { bundleWorker, startWorker } from './workers-runtime.ts';
import { describeProxyContract } from './proxy-contract.ts';

let bundle: string | undefined;

describe('Workers runtime', () => {
  describeProxyContract('Workers', async (env) => startWorker((bundle ??= bundleWorker()), env));
});
