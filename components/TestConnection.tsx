/** "Test connection": checks the proxy, the token and the model, and says the result in one sentence. */
import { useState } from 'preact/hooks';
import { testConnection, type ConnectionResult } from '../lib/panel/connection-test.ts';
import { i18n } from '#i18n';

interface Props {
  proxyUrl: string;
  accessToken: string;
  model: string;
}

/** The Test connection button and its one-sentence result (a status region). */
export function TestConnection({ proxyUrl, accessToken, model }: Props) {
  const [result, setResult] = useState<ConnectionResult | 'testing' | undefined>(undefined);
  const run = async () => {
    setResult('testing');
    setResult(await testConnection({ proxyUrl, accessToken, model }));
  };
  return (
    <div class="test-connection">
      <button type="button" disabled={result === 'testing' || !proxyUrl.trim()} onClick={() => void run()}>
        {i18n.t('connectionTest.button')}
      </button>
      <p role="status" class={result && result !== 'testing' ? (result.ok ? 'ok' : 'error') : 'meta'}>
        {result === 'testing' ? i18n.t('connectionTest.testing') : result?.message}
      </p>
    </div>
  );
}
