/**
 * The side panel. Top to bottom: the header, the live bar while something is shared (never scrolls), a
 * notice if any, then either the conversation with the ask box fixed under it, or one full-panel view
 * (History, Settings, Cost, the preview and region editor, pointing at a part, the scene timeline) with a Back button.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { SourceKind, Turn } from '../lib/core/types.ts';
import type { PanelClient } from '../lib/panel/client.ts';
import { activeTurn, framesWanted } from '../lib/panel/view-model.ts';
import type { Region } from '../lib/core/frames/redaction.ts';
import { ensureCameraPermission } from '../lib/panel/camera-permission.ts';
import { ensureMicPermission } from '../lib/panel/mic-permission.ts';
import { typingHints } from '../lib/panel/typing.ts';
import { useConsent, useFrameRequests, usePanelView, useSettings } from '../lib/panel/hooks.ts';
import { pricesOf } from '../lib/core/conversation/spend-limit.ts';
import { costPerMinute } from '../lib/core/conversation/cost.ts';
import { isConfigured } from '../lib/core/settings.ts';
import { Header, type Screen } from './Header.tsx';
import { LiveBar } from './LiveBar.tsx';
import { Notice } from './Notice.tsx';
import { Consent } from './Consent.tsx';
import { SetupCard } from './SetupCard.tsx';
import { Conversation } from './Conversation.tsx';
import { AskBox, type AskExtras } from './AskBox.tsx';
import { PointPicker } from './PointPicker.tsx';
import { Timeline } from './Timeline.tsx';
import { ShareButtons, ShareCard, Suggestions } from './ShareButtons.tsx';
import { SettingsForm } from './SettingsForm.tsx';
import { CostView, costChipOf } from './CostMeter.tsx';
import { ConversationLibrary } from './ConversationLibrary.tsx';
import { RedactionEditor } from './RedactionEditor.tsx';
import { i18n } from '#i18n';

/** The whole panel, driven by the service worker's state through `client`. */
export function App({ client }: { client: PanelClient }) {
  const view = usePanelView(client);
  const [consented, acceptConsent] = useConsent();
  const [settings, saveSettings] = useSettings();
  const [screen, setScreen] = useState<Screen>('main');
  const previous = useRef<Screen>('main');
  // The ask box's text lives here so "Edit question" can put a failed question back into it.
  const [draft, setDraft] = useState('');
  const askInput = useRef<HTMLTextAreaElement>(null);
  const [cameraError, setCameraError] = useState<string | undefined>(undefined);
  // A question being typed: its frame is taken ahead and the proxy connection opened (issue 13, item 4).
  const typing = useMemo(() => typingHints(() => client.send({ type: 'typing' })), [client]);
  // Point and ask, or an earlier scene: what the next question is about besides the frame of now (issue 14).
  const [pointed, setPointed] = useState<Region | undefined>(undefined);
  const [scene, setScene] = useState<{ frameId: string; time: string } | undefined>(undefined);
  useFrameRequests(client, framesWanted(view, screen === 'timeline'), view.connection);

  const state = view.state;
  const turns = state?.session.turns ?? [];
  const talk = state?.live;
  // Recomputed on every render: while Live runs, the microphone level re-renders the panel several times a second.
  const liveRate = talk?.startedAt !== undefined && talk.usageAtStart && settings && state
    ? costPerMinute(state.session.usage, talk.usageAtStart, talk.startedAt, Date.now(), pricesOf(settings))
    : undefined;
  const answering = activeTurn(state) !== undefined;
  const status = state?.sharing.status ?? 'off';
  const live = status === 'on' || status === 'paused';
  // While settings load, assume they are set: a configured install must not flash the setup card.
  const needsSetup = settings !== undefined && !isConfigured(settings);
  const needsConsent = !needsSetup && consented === false;
  const blocked = needsSetup
    ? i18n.t('app.blockedSetup')
    : needsConsent
      ? i18n.t('app.blockedConsent')
      : consented === undefined
        ? i18n.t('app.loading')
        : undefined;

  const go = (next: Screen) => {
    previous.current = screen;
    setScreen(next);
  };
  // The preview shows a share; when the share ends there is nothing to show.
  useEffect(() => {
    if ((screen === 'preview' || screen === 'point') && !live) go('main');
  }, [screen, live]);
  // Back from pointing or the timeline (a choice made), focus goes to the ask box rather than the view's opener.
  const focusAskNext = useRef(false);
  useEffect(() => {
    if (screen === 'main') focusAskNext.current = false;
  }, [screen]);
  const backToAsk = () => {
    focusAskNext.current = true;
    go('main');
  };

  const share = async (source: SourceKind) => {
    setCameraError(undefined);
    if (source === 'camera') {
      // The offscreen document cannot prompt; this visible page asks for the camera first.
      const permission = await ensureCameraPermission();
      if (!permission.ok) return setCameraError(permission.message);
    }
    client.send({ type: 'share', source });
  };
  const startLive = async () => {
    setCameraError(undefined);
    // The offscreen document that holds the conversation cannot prompt: this visible page asks first.
    const permission = await ensureMicPermission();
    if (!permission.ok) return setCameraError(permission.message);
    client.send({ type: 'start-live' });
  };
  const ask = (text: string, extras: AskExtras = { closer: false }) => {
    if (scene) {
      client.send({ type: 'ask-about-scene', frameId: scene.frameId, text });
      return setScene(undefined);
    }
    const { closer, ...rest } = extras;
    client.send({ type: 'ask', text, ...(closer ? { closer } : {}), ...(pointed ? { region: pointed } : {}), ...rest });
    setPointed(undefined);
  };
  /** Asks a failed question again with what it carried: the same part pointed at, or the same scene. */
  const retry = (turn: Turn) => {
    if (turn.sceneFrameId) return client.send({ type: 'ask-about-scene', frameId: turn.sceneFrameId, text: turn.question });
    client.send({ type: 'ask', text: turn.question, ...(turn.region ? { region: turn.region.area } : {}) });
  };
  const editQuestion = (turn: Turn) => {
    setDraft(turn.question);
    setTimeout(() => askInput.current?.focus());
  };
  const notice = state?.notice ?? (cameraError ? { kind: 'capture-refused' as const, message: cameraError } : undefined);

  let body;
  if (screen === 'main') {
    body = (
      <>
        {notice && (
          <Notice
            error={notice}
            onDismiss={() => (state?.notice ? client.send({ type: 'dismiss-notice' }) : setCameraError(undefined))}
            onOpenSettings={() => go('settings')}
          />
        )}
        {needsSetup || needsConsent ? (
          <div class="stage">
            {needsSetup && settings ? (
              <SetupCard settings={settings} onSave={saveSettings} onOwnServer={() => go('settings')} />
            ) : (
              <>
                <Consent
                  proxyUrl={(settings?.backend === 'openai' ? settings.chatBaseUrl : settings?.proxyUrl) ?? ''}
                  ownServer={settings?.backend === 'openai'}
                  onAccept={() => void acceptConsent()} />
                <ShareCard disabled starting={false} onShare={() => {}} />
              </>
            )}
          </div>
        ) : (
          <Conversation
            sessionId={state?.session.id}
            turns={turns}
            busy={answering}
            prices={settings && pricesOf(settings)}
            empty={
              live ? (
                <Suggestions paused={status === 'paused'} onAsk={(q) => ask(q)} />
              ) : (
                <ShareCard disabled={consented !== true} starting={status === 'starting'} onShare={(s) => void share(s)} />
              )
            }
            onRetry={retry}
            onEditQuestion={editQuestion}
            onOpenSettings={() => go('settings')}
            frames={view.frames}
          />
        )}
        <AskBox
          text={draft}
          onText={(text) => {
            setDraft(text);
            typing(text);
          }}
          inputRef={askInput}
          blocked={blocked}
          answering={answering}
          sharing={state?.sharing}
          shareButtons={status === 'off' && turns.length > 0 ? <ShareButtons compact disabled={consented !== true} onShare={(s) => void share(s)} /> : undefined}
          ended={status === 'off' && !notice ? state?.sharing.endedReason : undefined}
          onAsk={ask}
          onStop={() => client.send({ type: 'stop-answer' })}
          pointed={pointed}
          sceneTime={scene?.time}
          onPoint={() => go('point')}
          onClearPoint={() => setPointed(undefined)}
          onClearScene={() => setScene(undefined)}
        />
      </>
    );
  } else if (screen === 'history') {
    body = (
      <ConversationLibrary
        sessions={view.sessions}
        hasCurrent={turns.length > 0}
        onList={() => client.send({ type: 'list-conversations' })}
        onOpen={(id) => {
          client.send({ type: 'open-conversation', id });
          go('main');
        }}
        onDelete={(id) => state && client.send({ type: 'delete-conversation', id: id === 'current' ? state.session.id : id })}
        onDeleteAll={() => client.send({ type: 'delete-all' })}
      />
    );
  } else if (screen === 'settings') {
    body = settings ? <SettingsForm settings={settings} onSave={saveSettings} /> : null;
  } else if (screen === 'cost') {
    body = state && settings ? <CostView session={state.session} settings={settings} onSettings={() => go('settings')} /> : null;
  } else if (screen === 'point') {
    body = (
      <PointPicker
        thumbnail={view.thumbnail}
        initial={pointed}
        onUse={(region) => {
          setPointed(region);
          setScene(undefined);
          backToAsk();
        }}
        onCancel={() => go('main')}
      />
    );
  } else if (screen === 'timeline') {
    body = (
      <Timeline
        scenes={view.timeline}
        frames={view.frames}
        onList={() => client.send({ type: 'get-timeline' })}
        onChoose={(chosen) => {
          setScene({ frameId: chosen.frameId, time: chosen.timeOfDay });
          setPointed(undefined);
          backToAsk();
        }}
      />
    );
  } else {
    body = (
      <RedactionEditor
        thumbnail={view.thumbnail}
        regions={state?.redactions ?? []}
        site={state?.sharing.site}
        onChange={(regions) => client.send({ type: 'set-redactions', regions })}
      />
    );
  }

  return (
    <div class="panel">
      <Header
        screen={screen}
        previous={previous.current}
        onScreen={go}
        canStartNew={turns.length > 0}
        onNew={() => client.send({ type: 'new-conversation' })}
        cost={state && settings ? costChipOf(state.session, settings) : undefined}
        canTimeline={live || (state?.session.frameCount ?? 0) > 0}
        returnFocusTo={focusAskNext.current ? 'ask-input' : undefined}
      />
      {view.connection === 'reconnecting' && (
        <p class="banner" role="status">
          {i18n.t('app.reconnecting')}
        </p>
      )}
      <LiveBar
        sharing={state?.sharing}
        thumbnail={view.thumbnail}
        showThumbnail={screen !== 'preview' && screen !== 'point'}
        regionCount={state?.redactions?.length ?? 0}
        onPreview={() => go('preview')}
        onPause={() => client.send({ type: 'pause' })}
        onResume={() => client.send({ type: 'resume' })}
        onStop={() => client.send({ type: 'stop-sharing' })}
        live={state?.live}
        level={view.level}
        onStartLive={() => void startLive()}
        onEndLive={() => client.send({ type: 'end-live' })}
        onMute={(muted) => client.send({ type: 'mute', muted })}
        costPerMinute={liveRate}
        ownServer={settings?.backend === 'openai'}
      />
      <main class={`body ${screen}`}>{body}</main>
    </div>
  );
}
