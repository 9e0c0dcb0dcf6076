/**
 * First run on an install without a proxy: one card with the two things Sightline needs (the proxy's
 * address and an access token), a connection test, and Continue — before the notice and anything else.
 */
import { useState } from 'preact/hooks';
import type { Settings } from '../lib/core/settings.ts';
import { proxyUrlProblem } from './fields.tsx';
import { TestConnection } from './TestConnection.tsx';

interface Props {
  settings: Settings;
  onSave: (patch: Partial<Settings>) => Promise<void>;
}

/** The first-run card; Continue saves the proxy URL and token. */
export function SetupCard({ settings, onSave }: Props) {
  const [proxyUrl, setProxyUrl] = useState(settings.proxyUrl);
  const [token, setToken] = useState(settings.accessToken);
  const [status, setStatus] = useState('');
  const problem = proxyUrlProblem(proxyUrl);
  const complete = proxyUrl.trim() !== '' && token.trim() !== '' && !problem;
  const save = async (e: Event) => {
    e.preventDefault();
    if (!complete) return setStatus('Enter the proxy URL and the access token to continue.');
    try {
      await onSave({ proxyUrl, accessToken: token });
    } catch {
      setStatus('Could not save these settings. Try again.');
    }
  };
  return (
    <form class="card setup" aria-labelledby="setup-title" onSubmit={save}>
      <h2 id="setup-title">Connect Sightline</h2>
      <p>
        Sightline asks Gemini through a proxy that holds the Gemini key. Enter its address and the access token you were
        given.
      </p>
      <label>
        Proxy URL
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
        Access token
        <input type="password" value={token} autocomplete="off" onInput={(e) => setToken(e.currentTarget.value)} />
      </label>
      <TestConnection proxyUrl={proxyUrl} accessToken={token} model={settings.model} />
      <div class="row end">
        <span class="meta" role="status">
          {status}
        </span>
        <button type="submit" class="primary">
          Continue
        </button>
      </div>
    </form>
  );
}
