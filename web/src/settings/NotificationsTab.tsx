import type { MessageKey } from '../i18n/dict';
import { useT } from '../i18n/i18n';
import { playSound } from './sounds';
import { SOUND_EVENTS, type SoundEvent } from './store';
import { useSettings } from './useSettings';

const LABELS: Record<SoundEvent, MessageKey> = {
  join: 'prefs.soundJoin',
  chat: 'prefs.soundChat',
  hand: 'prefs.soundHand',
  knock: 'prefs.soundKnock',
};

/** NotificationsTab turns the sound of each call event on or off. */
export function NotificationsTab() {
  const t = useT();
  const [settings, update] = useSettings();
  return (
    <div className="stack">
      <h3>{t('prefs.notifications')}</h3>
      <fieldset>
        <legend>{t('prefs.sounds')}</legend>
        {SOUND_EVENTS.map((e) => (
          <label key={e} className="toggle">
            <input
              type="checkbox"
              checked={settings.sounds[e]}
              onChange={(ev) => {
                update({ sounds: { ...settings.sounds, [e]: ev.target.checked } });
                if (ev.target.checked) void playSound(e, settings.audioOutput ?? '');
              }}
            />
            <span>{t(LABELS[e])}</span>
          </label>
        ))}
      </fieldset>
    </div>
  );
}
