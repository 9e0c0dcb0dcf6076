/** First use: what is sent, where, and what is kept — before anything can be shared. */
export function Consent({ proxyUrl, onAccept }: { proxyUrl: string; onAccept: () => void }) {
  let proxyHost = 'the proxy you set in Settings';
  try {
    if (proxyUrl) proxyHost = `your proxy (${new URL(proxyUrl).host})`;
  } catch {
    // An unparsable URL is reported by Settings; keep the generic wording here.
  }
  return (
    <section class="card consent" aria-labelledby="consent-title">
      <h2 id="consent-title">Before you share</h2>
      <ul>
        <li>
          <strong>What is sent:</strong> still frames of the tab, camera or screen you choose to share, and the
          questions you type.
        </li>
        <li>
          <strong>Where:</strong> to {proxyHost}, which passes them to Google’s Gemini API to answer.
        </li>
        <li>
          <strong>What is kept:</strong> the conversation text, on this device. Frames are kept only if you turn on
          “Keep frames on disk” in Settings.
        </li>
        <li>Nothing is shared until you press a share button; you can pause or stop at any time.</li>
      </ul>
      <button type="button" class="primary" onClick={onAccept}>
        I understand
      </button>
    </section>
  );
}
