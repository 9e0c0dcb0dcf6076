/** The side panel: consent, settings, sharing, the conversation and the question box. */
import { useMemo, useState } from 'preact/hooks';
import type { SourceKind } from '../lib/core/types.ts';
import type { PanelClient } from '../lib/panel/client.ts';
import { activeTurn } from '../lib/panel/view-model.ts';
import { ensureCameraPermission } from '../lib/panel/camera-permission.ts';
import { typingHints } from '../lib/panel/typing.ts';
import { useConsent, usePanelView, useSettings } from '../lib/panel/hooks.ts';
import { Consent } from './Consent.tsx';
import { Notice } from './Notice.tsx';
import { SettingsForm } from './SettingsForm.tsx';
import { SharingControls } from './SharingControls.tsx';
import { Conversation } from './Conversation.tsx';
import { AskBox } from './AskBox.tsx';
import { CostMeter } from './CostMeter.tsx';
import { SessionLibrary } from './SessionLibrary.tsx';
import { pricesOf } from '../lib/core/conversation/spend-limit.ts';

export function App({ client }: { client: PanelClient }) {
  const view = usePanelView(client);
  const [consented, acceptConsent] = useConsent();
  const [settings, saveSettings] = useSettings();
  const [settingsOpen, setSettingsOpen] = useState<boolean | undefined>(undefined);
  const [cameraError, setCameraError] = useState<string | undefined>(undefined);
  // A question being typed: its frame is taken ahead and the proxy connection opened (issue 13, item 4).
  const typing = useMemo(() => typingHints(() => client.send({ type: 'typing' })), [client]);

  const state = view.state;
  const turns = state?.session.turns ?? [];
  const answering = activeTurn(state) !== undefined;
  const configured = settings !== undefined && settings.proxyUrl !== '' && settings.accessToken !== '';

  const share = async (source: SourceKind) => {
    setCameraError(undefined);
    if (source === 'camera') {
      // The offscreen document cannot prompt; this visible page asks for the camera first.
      const permission = await ensureCameraPermission();
      if (!permission.ok) {
        setCameraError(permission.message);
        return;
      }
    }
    client.send({ type: 'share', source });
  };

  return (
    <div class="panel">
      <header class="top">
        <h1>Sightline</h1>
        {view.connection === 'reconnecting' && (
          <span class="meta" role="status">
            Reconnecting…
          </span>
        )}
        <button type="button" disabled={turns.length === 0} onClick={() => client.send({ type: 'new-session' })}>
          New conversation
        </button>
      </header>
      <div class="controls">
        {consented === false && <Consent proxyUrl={settings?.proxyUrl ?? ''} onAccept={() => void acceptConsent()} />}
        {state?.notice && <Notice error={state.notice} onDismiss={() => client.send({ type: 'dismiss-notice' })} />}
        <SharingControls
          sharing={state?.sharing}
          thumbnail={view.thumbnail}
          allowed={consented === true}
          cameraError={cameraError}
          noticeShown={state?.notice !== undefined}
          onShare={(source) => void share(source)}
          onPause={() => client.send({ type: 'pause' })}
          onResume={() => client.send({ type: 'resume' })}
          onStop={() => client.send({ type: 'stop-sharing' })}
          regions={state?.redactions ?? []}
          onRegions={(regions) => client.send({ type: 'set-redactions', regions })}
        />
        {settings && !configured && (
          <p class="warn">Sightline needs a proxy URL and an access token to answer: set them in Settings.</p>
        )}
        {settings && (
          <SettingsForm
            settings={settings}
            open={settingsOpen ?? !configured}
            onToggle={setSettingsOpen}
            onSave={saveSettings}
          />
        )}
        {state && settings && <CostMeter session={state.session} settings={settings} />}
        {state && (
          <SessionLibrary
            sessions={view.sessions}
            hasCurrent={turns.length > 0}
            onList={() => client.send({ type: 'list-sessions' })}
            onOpen={(id) => client.send({ type: 'open-session', id })}
            onDelete={(id) => client.send({ type: 'delete-session', id: id === 'current' ? state.session.id : id })}
            onDeleteAll={() => client.send({ type: 'delete-all' })}
          />
        )}
      </div>
      <Conversation turns={turns} busy={answering} prices={settings && pricesOf(settings)} />
      <AskBox
        canAsk={consented === true}
        answering={answering}
        canLookCloser={state?.sharing.status === 'on'}
        onAsk={(text, closer) => client.send(closer ? { type: 'ask', text, closer } : { type: 'ask', text })}
        onStop={() => client.send({ type: 'stop-answer' })}
        onTyping={typing}
      />
    </div>
  );
}
