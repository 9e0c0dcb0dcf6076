/** Wires browser events to the conversation manager (lib/conversation). Called from entrypoints/background/index.ts. */
import type { Browser } from 'wxt/browser';
import { browser } from 'wxt/browser';
import { PANEL_PORT, type PanelEvent } from '@/lib/protocol/messages.ts';
import type { CaptureEvent } from '@/lib/protocol/capture.ts';
import { isPanelCommand } from '@/lib/protocol/panel-guards.ts';
import type { CaptureBackend } from '@/lib/capture/backend.ts';
import { ConversationManager } from '@/lib/conversation/manager.ts';
import { cachedSettings, onSettingsChanged } from '@/lib/storage/settings.ts';
import { deleteAllConversations, deleteConversation, listConversations, loadCurrentConversation, loadConversation, saveConversation } from '@/lib/storage/sessions.ts';
import { redactionStore } from '@/lib/storage/redactions.ts';
import { hasConsented } from '@/lib/storage/consent.ts';
import { liveItem, sharingItem } from '@/lib/storage/items.ts';
import { generateText, streamAnswer, warmUp } from '@/lib/transport/gemini.ts';
import { streamViaChat } from '@/lib/transport/chat-backend.ts';
import { showSharingBadge } from './badge.ts';
import { rememberInvokedTab, tabToShare, tabUrl, watchSharedTab } from './tabs.ts';
import { readPage } from './read-page.ts';

export function startBackground(capture: CaptureBackend, openPanel: (tab: Browser.tabs.Tab) => void): ConversationManager {
  const ports = new Set<Browser.runtime.Port>();
  const broadcast = (event: PanelEvent) => {
    if (event.type === 'state') showSharingBadge(event.state.sharing.status);
    for (const port of ports) port.postMessage(event);
  };

  // Cached, and kept current by every save: a question reads no storage on its way (lib/storage/settings.ts).
  const settings = cachedSettings();
  const manager = new ConversationManager({
    capture,
    settings,
    sessions: { load: loadCurrentConversation, save: saveConversation },
    library: { list: listConversations, load: loadConversation, delete: deleteConversation, deleteAll: deleteAllConversations },
    sharing: { load: () => sharingItem.getValue(), save: (s) => sharingItem.setValue(s) },
    live: { load: () => liveItem.getValue(), save: (r) => liveItem.setValue(r) },
    // Gemini through the proxy, or the OpenAI-compatible server the person chose in Settings.
    // A text-only model gets the question's picture as text, read by OCR where the capture runs (capture.ocr).
    model: (req) => keepAliveWhile(req.chat ? streamViaChat({ ...req, chat: req.chat, ...(capture.ocr ? { ocr: (jpeg) => capture.ocr!(jpeg) } : {}) }) : streamAnswer(req)),
    summarize: (req) => keepAliveWhile(req.chat ? streamViaChat({ ...req, chat: req.chat, onDelta: () => {} }) : generateText(req)),
    // Only the proxy: an OpenAI-compatible server has no route that is safe to call without a key.
    warmUp: (s) => void (s.backend === 'gemini' ? warmUp(s.proxyUrl) : undefined),
    tabToShare,
    tabUrl,
    redactions: redactionStore,
    consented: hasConsented,
    readPage,
    broadcast,
  });

  browser.action.onClicked.addListener((tab) => {
    openPanel(tab); // first, synchronously: opening the panel needs the click's user gesture
    rememberInvokedTab(tab.id);
  });

  browser.runtime.onConnect.addListener((port) => {
    if (port.name !== PANEL_PORT) return;
    ports.add(port);
    port.onDisconnect.addListener(() => ports.delete(port));
    // Anything but a well-formed command (a stale panel, garbage) is ignored.
    port.onMessage.addListener((msg: unknown) => {
      if (isPanelCommand(msg)) void manager.handle(msg);
    });
    void manager.ready().then(() => manager.snapshotEvents().forEach((e) => port.postMessage(e)));
  });

  const onCaptureEvent = (msg: CaptureEvent) => {
    switch (msg.type) {
      case 'frame':
        void manager.frameArrived(msg.frame);
        break;
      case 'frame-dropped':
        void manager.frameDropped();
        break;
      case 'capture-ended':
        void manager.captureEnded(msg.reason, msg.error);
        break;
      case 'capture-started':
        break;
      default:
        void manager.liveReport(msg);
    }
  };
  // Every capture event arrives through the backend (over CAPTURE_PORT from a page, or from the background itself).
  capture.listen?.(onCaptureEvent);

  onSettingsChanged((s) => void manager.settingsChanged(s));
  watchSharedTab(
    () => manager.sharedTabId(),
    (reason) => void manager.stopSharing(reason),
    (url) => void manager.sharedTabNavigated(url),
  );
  browser.commands?.onCommand.addListener((command) => {
    if (command === 'toggle-pause') void manager.togglePause();
  });
  return manager;
}

/** Chrome may stop an idle service worker mid-answer; an extension API call every 20 s keeps it awake. */
async function keepAliveWhile<T>(work: Promise<T>): Promise<T> {
  const timer = setInterval(() => void browser.runtime.getPlatformInfo(), 20_000);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}
