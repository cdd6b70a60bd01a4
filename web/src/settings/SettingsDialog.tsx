import { useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { MessageKey } from '../i18n/dict';
import { useT } from '../i18n/i18n';
import { AccountTab, type NameControl } from './AccountTab';
import { AudioTab, VideoTab } from './DeviceTabs';
import type { MediaControls } from './media';
import { Modal } from './Modal';
import { NotificationsTab } from './NotificationsTab';
import { ShortcutList } from './ShortcutList';

/** SettingsTab names a tab of the settings dialog. */
export type SettingsTab = 'account' | 'audio' | 'video' | 'effects' | 'notifications' | 'shortcuts';

const TAB_LABELS: Record<SettingsTab, MessageKey> = {
  account: 'prefs.account',
  audio: 'prefs.audio',
  video: 'prefs.video',
  effects: 'prefs.effects',
  notifications: 'prefs.notifications',
  shortcuts: 'prefs.shortcuts',
};

interface Props {
  onClose: () => void;
  media: MediaControls;
  name: NameControl;
  initialTab?: SettingsTab;
  /** The content of the Effects tab; the tab shows only when given. */
  effects?: ReactNode;
}

/**
 * SettingsDialog holds the person's own settings, in tabs: account, audio,
 * video, effects, notifications and the keyboard shortcuts. Tabs follow the
 * ARIA tabs pattern (arrow keys, Home and End move between them).
 */
export function SettingsDialog({ onClose, media, name, initialTab = 'account', effects }: Props) {
  const t = useT();
  const base = useId();
  const tabs: SettingsTab[] = ['account', 'audio', 'video', ...(effects ? (['effects'] as const) : []), 'notifications', 'shortcuts'];
  const [tab, setTab] = useState<SettingsTab>(tabs.includes(initialTab) ? initialTab : 'account');
  const buttons = useRef<Partial<Record<SettingsTab, HTMLButtonElement | null>>>({});

  function onTabKey(e: KeyboardEvent<HTMLDivElement>) {
    const at = tabs.indexOf(tab);
    const moves: Record<string, number> = { ArrowDown: at + 1, ArrowRight: at + 1, ArrowUp: at - 1, ArrowLeft: at - 1, Home: 0, End: tabs.length - 1 };
    if (!(e.key in moves)) return;
    e.preventDefault();
    const next = tabs[(moves[e.key] + tabs.length) % tabs.length];
    setTab(next);
    buttons.current[next]?.focus();
  }

  return (
    <Modal title={t('prefs.title')} onClose={onClose} className="settings-dialog" wide>
      <div className="settings-body">
        <div className="settings-tabs" role="tablist" aria-label={t('prefs.title')} aria-orientation="vertical" tabIndex={-1} onKeyDown={onTabKey}>
          {tabs.map((id) => (
            <button
              key={id}
              ref={(el) => {
                buttons.current[id] = el;
              }}
              type="button"
              role="tab"
              id={`${base}-tab-${id}`}
              aria-selected={tab === id}
              aria-controls={`${base}-panel-${id}`}
              tabIndex={tab === id ? 0 : -1}
              data-autofocus={tab === id ? true : undefined}
              onClick={() => setTab(id)}
            >
              {t(TAB_LABELS[id])}
            </button>
          ))}
        </div>
        <div className="settings-panel" role="tabpanel" id={`${base}-panel-${tab}`} aria-labelledby={`${base}-tab-${tab}`} data-tab={tab}>
          {tab === 'account' && <AccountTab name={name} />}
          {tab === 'audio' && <AudioTab media={media} />}
          {tab === 'video' && <VideoTab media={media} />}
          {tab === 'effects' && effects}
          {tab === 'notifications' && <NotificationsTab />}
          {tab === 'shortcuts' && (
            <div className="stack">
              <h3>{t('keys.title')}</h3>
              <p className="muted small">{t('keys.intro')}</p>
              <ShortcutList />
            </div>
          )}
        </div>
      </div>
    </Modal>
  );
}
