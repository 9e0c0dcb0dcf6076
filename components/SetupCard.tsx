/**
 * First run on an install without a proxy: one card with the two things Sightline needs (the proxy's
 * address and an access token), a connection test, and Continue — before the notice and anything else.
 */
import { useState } from 'preact/hooks';
import type { Settings } from '../lib/core/settings.ts';
import { proxyUrlProblem } from './fields.tsx';
import { TestConnection } from './TestConnection.tsx';
import { i18n } from '#i18n';

interface Props {
  settings: Settings;
  onSave: (patch: Partial<Settings>) => Promise<void>;
  /** Opens Settings to choose a model server of one's own instead of the proxy. */
  onOwnServer: () => void;
}

/** The first-run card; Continue saves the proxy URL and token. */
export function SetupCard({ settings, onSave, onOwnServer }: Props) {
  const [proxyUrl, setProxyUrl] = useState(settings.proxyUrl);
  const [token, setToken] = useState(settings.accessToken);
  const [status, setStatus] = useState('');
  const problem = proxyUrlProblem(proxyUrl);
  const complete = proxyUrl.trim() !== '' && token.trim() !== '' && !problem;
  const save = async (e: Event) => {
    e.preventDefault();
    if (!complete) return setStatus(i18n.t('setup.incomplete'));
    try {
      await onSave({ proxyUrl, accessToken: token });
    } catch {
      setStatus(i18n.t('setup.saveFailed'));
    }
  };
  return (
    <form class="card setup" aria-labelledby="setup-title" onSubmit={save}>
      <h2 id="setup-title">{i18n.t('setup.title')}</h2>
      <p>{i18n.t('setup.intro')}</p>
      <label>
        {i18n.t('common.proxyUrl')}
        <input
          type="url"
          value={proxyUrl}
          placeholder="https://proxy.example.com"
          autocomplete="off"
          spellcheck={false}
          aria-invalid={problem ? 'true' : undefined}
          aria-describedby={problem ? 'setup-url-problem' : undefined}
          onInput={(e) => setProxyUrl(e.currentTarget.value)}
        />
      </label>
      {problem && (
        <p class="error" id="setup-url-problem">
          {problem}
        </p>
      )}
      <label>
        {i18n.t('common.accessToken')}
        <input type="password" value={token} autocomplete="off" onInput={(e) => setToken(e.currentTarget.value)} />
      </label>
      <TestConnection proxyUrl={proxyUrl} accessToken={token} model={settings.model} />
      <button type="button" class="link-button" onClick={onOwnServer}>
        {i18n.t('server.ownServer')}
      </button>
      <div class="row end">
        <span class="meta" role="status">
          {status}
        </span>
        <button type="submit" class="primary">
          {i18n.t('setup.continue')}
        </button>
      </div>
    </form>
  );
}
