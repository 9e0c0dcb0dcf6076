/** First use: what is sent, where, and what is kept — before anything can be shared. */
import { i18n } from '#i18n';
/** `proxyUrl` is where requests go: the proxy, or with `ownServer` the OpenAI-compatible server chosen in Settings. */
export function Consent({ proxyUrl, onAccept, ownServer = false }: { proxyUrl: string; onAccept: () => void; ownServer?: boolean }) {
  let proxyHost = i18n.t('consent.proxyGeneric');
  let host = proxyUrl;
  try {
    host = new URL(proxyUrl).host;
    if (proxyUrl) proxyHost = i18n.t('consent.proxyNamed', { host });
  } catch {
    // An unparsable URL is reported by Settings; keep the generic wording here.
  }
  return (
    <section class="card consent" aria-labelledby="consent-title">
      <h2 id="consent-title">{i18n.t('consent.title')}</h2>
      <ul>
        <li>
          <strong>{i18n.t('consent.sentLabel')}</strong> {i18n.t('consent.sent')}
        </li>
        <li>
          <strong>{i18n.t('consent.whereLabel')}</strong> {ownServer ? i18n.t('consent.whereServer', { host }) : i18n.t('consent.where', { proxy: proxyHost })}
        </li>
        <li>
          <strong>{i18n.t('consent.keptLabel')}</strong> {i18n.t('consent.kept')}
        </li>
        <li>{i18n.t('consent.control')}</li>
      </ul>
      <button type="button" class="primary" onClick={onAccept}>
        {i18n.t('consent.accept')}
      </button>
    </section>
  );
}
