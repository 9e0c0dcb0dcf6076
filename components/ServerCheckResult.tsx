/**
 * What checking a model server found, in a sentence with its one fix: the models found; Ollama's refusal with the
 * OLLAMA_ORIGINS command to copy; "Allow access" when the browser may be blocking the server.
 */
import { useState } from 'preact/hooks';
import { OLLAMA_ORIGINS_COMMAND, OLLAMA_ORIGINS_MACOS, type ServerCheck } from '../lib/core/model-server.ts';
import { i18n } from '#i18n';

interface Props {
  check: ServerCheck | 'checking' | undefined;
  baseUrl: string;
  /** Asks for the host permission (call from the click). */
  onAllow: () => void;
}

/** A command in a code block with a Copy button (the clipboard is written on the click). */
function CopyableCommand({ command }: { command: string }) {
  const [copied, setCopied] = useState(false);
  const copy = () => void navigator.clipboard.writeText(command).then(() => setCopied(true), () => setCopied(false));
  return (
    <div class="command">
      <pre>
        <code>{command}</code>
      </pre>
      <button type="button" onClick={copy}>
        {copied ? i18n.t('server.copied') : i18n.t('server.copy')}
      </button>
    </div>
  );
}

/** Ollama's refusal of an extension origin: the sentence, and the commands that fix it. */
function OllamaOriginsFix() {
  return (
    <>
      <p class="error">{i18n.t('server.ollamaOrigins')}</p>
      <CopyableCommand command={OLLAMA_ORIGINS_COMMAND} />
      <p class="hint">{i18n.t('server.ollamaOriginsMac')}</p>
      <CopyableCommand command={OLLAMA_ORIGINS_MACOS} />
    </>
  );
}

const hostOf = (baseUrl: string) => {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
};

/** The result of Load models or Detect Ollama (a status region, so screen readers hear it). */
export function ServerCheckResult({ check, baseUrl, onAllow }: Props) {
  if (check === undefined) return <p role="status" class="meta" />;
  if (check === 'checking') return <p role="status" class="meta">{i18n.t('server.checking')}</p>;
  const host = hostOf(baseUrl);
  switch (check.kind) {
    case 'ok':
      return (
        <p role="status" class="ok">
          {check.models.length === 0
            ? i18n.t('server.noModels', { host })
            : i18n.t(check.ollama ? 'server.foundOllama' : 'server.found', { host, count: String(check.models.length) })}
        </p>
      );
    case 'ollama-origins':
      return (
        <div role="status" class="server-fix">
          <OllamaOriginsFix />
        </div>
      );
    case 'blocked':
      return (
        <div role="status" class="server-fix">
          <p class="error">{i18n.t('server.blocked', { host })}</p>
          <OllamaOriginsFix />
          <p class="hint">{i18n.t('server.blockedOther')}</p>
          {check.needsAccess && (
            <button type="button" onClick={onAllow}>
              {i18n.t('server.allowAccess', { host })}
            </button>
          )}
        </div>
      );
    case 'refused-key':
      return <p role="status" class="error">{i18n.t('server.refusedKey', { status: String(check.status) })}</p>;
    case 'not-openai':
      return <p role="status" class="error">{i18n.t('server.notOpenai')}</p>;
    case 'server-error':
      return <p role="status" class="error">{i18n.t('server.serverError', { status: String(check.status) })}</p>;
    case 'bad-url':
      return <p role="status" class="error">{i18n.t('server.badUrl')}</p>;
    case 'unreachable':
      return (
        <div role="status">
          <p class="error">{i18n.t('server.unreachable', { host })}</p>
          {check.needsAccess && (
            <button type="button" onClick={onAllow}>
              {i18n.t('server.allowAccess', { host })}
            </button>
          )}
        </div>
      );
  }
}
