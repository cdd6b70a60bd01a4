import { useState, type FormEvent } from 'react';
import { patchRoom } from '../api/endpoints';
import { PUBLISH_SOURCES, type AccessLevel, type PublishSource, type Room } from '../api/types';
import { useT } from '../i18n/i18n';

const LEVELS: AccessLevel[] = ['public', 'trusted', 'restricted'];

interface Props {
  room: Room & { id: string };
  onSaved: (room: Room) => void;
}

/** HostSettings edits who may join (access level) and what participants may publish. */
export function HostSettings({ room, onSaved }: Props) {
  const t = useT();
  const [level, setLevel] = useState<AccessLevel>(room.access_level);
  const [sources, setSources] = useState<PublishSource[]>(room.configuration?.can_publish_sources ?? PUBLISH_SOURCES);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);

  function toggleSource(s: PublishSource, on: boolean) {
    // Keep the canonical order so the PATCH body is stable.
    setSources((cur) => PUBLISH_SOURCES.filter((x) => (x === s ? on : cur.includes(x))));
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setStatus(null);
    try {
      const updated = await patchRoom(room.id, {
        access_level: level,
        configuration: { can_publish_sources: sources },
      });
      onSaved({ ...room, ...updated, livekit: room.livekit });
      setStatus({ ok: true, text: t('common.saved') });
    } catch (err) {
      setStatus({ ok: false, text: t('common.error', { message: err instanceof Error ? err.message : String(err) }) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="settings stack" onSubmit={submit}>
      <fieldset>
        <legend>{t('settings.access')}</legend>
        {LEVELS.map((l) => (
          <label key={l} className="choice">
            <input type="radio" name="access_level" value={l} checked={level === l} onChange={() => setLevel(l)} />
            {t(`settings.${l}`)}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>{t('settings.publish')}</legend>
        {PUBLISH_SOURCES.map((s) => (
          <label key={s} className="choice">
            <input type="checkbox" name="can_publish_sources" value={s} checked={sources.includes(s)} onChange={(e) => toggleSource(s, e.target.checked)} />
            {t(`settings.source.${s}`)}
          </label>
        ))}
      </fieldset>
      <button type="submit" className="btn primary" disabled={busy}>
        {t('common.save')}
      </button>
      {status && (
        <p className={status.ok ? 'success' : 'error'} role={status.ok ? 'status' : 'alert'}>
          {status.text}
        </p>
      )}
    </form>
  );
}
