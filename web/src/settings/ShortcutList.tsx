import { Fragment } from 'react';
import { chordKeys, isMacPlatform, SHORTCUTS, type ShortcutId } from '../call/shortcuts';
import type { MessageKey } from '../i18n/dict';
import { useT } from '../i18n/i18n';
import { Modal } from './Modal';

const LABELS: Record<ShortcutId, MessageKey> = {
  mic: 'keys.mic',
  camera: 'keys.camera',
  hand: 'keys.hand',
  chat: 'keys.chat',
  participants: 'keys.participants',
  reactions: 'keys.reactions',
  leave: 'keys.leave',
  help: 'keys.help',
};

/** isMac reports whether this browser runs on a Mac (⌘ shortcuts). */
export function isMac(): boolean {
  const nav = navigator as Navigator & { userAgentData?: { platform?: string } };
  return isMacPlatform(nav.userAgentData?.platform || nav.platform || nav.userAgent);
}

function Keys({ keys }: { keys: string[] }) {
  return (
    <span className="keys">
      {keys.map((k, i) => (
        <Fragment key={k}>
          {i > 0 && <span aria-hidden="true">+</span>}
          <kbd>{k}</kbd>
        </Fragment>
      ))}
    </span>
  );
}

/** ShortcutList is the table of the call's keyboard shortcuts. */
export function ShortcutList() {
  const t = useT();
  const mac = isMac();
  return (
    <table className="shortcut-list">
      <caption className="visually-hidden">{t('keys.title')}</caption>
      <tbody>
        {SHORTCUTS.map((c) => (
          <tr key={c.id}>
            <th scope="row">{t(LABELS[c.id])}</th>
            <td>
              <Keys keys={chordKeys(c, mac)} />
            </td>
          </tr>
        ))}
        <tr>
          <th scope="row">{t('keys.pushToTalk')}</th>
          <td>
            <Keys keys={[t('keys.space')]} />
          </td>
        </tr>
        <tr>
          <th scope="row">{t(LABELS.help)}</th>
          <td>
            <Keys keys={['?']} />
          </td>
        </tr>
        <tr>
          <th scope="row">{t('keys.close')}</th>
          <td>
            <Keys keys={[t('keys.escape')]} />
          </td>
        </tr>
      </tbody>
    </table>
  );
}

/** ShortcutHelp is the sheet "?" opens. */
export function ShortcutHelp({ onClose }: { onClose: () => void }) {
  const t = useT();
  return (
    <Modal title={t('keys.title')} onClose={onClose} className="shortcut-help">
      <p className="muted small">{t('keys.intro')}</p>
      <ShortcutList />
    </Modal>
  );
}
