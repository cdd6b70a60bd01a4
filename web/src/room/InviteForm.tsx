import { useState, type FormEvent } from 'react';
import { inviteToRoom } from '../api/endpoints';
import { useT } from '../i18n/i18n';
import { checkEmails, inviteProblem, splitEmails } from './invite';

type Status = { ok: boolean; text: string } | null;

/** InviteForm e-mails the meeting link to a list of addresses (owners and administrators). */
export function InviteForm({ roomId }: { roomId: string }) {
  const t = useT();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<Status>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const emails = splitEmails(text);
    const bad = checkEmails(emails);
    if (bad) {
      setStatus({ ok: false, text: t(bad.key, 'list' in bad ? { list: bad.list } : 'max' in bad ? { max: bad.max } : undefined) });
      return;
    }
    setBusy(true);
    setStatus(null);
    try {
      await inviteToRoom(roomId, emails);
      setText('');
      setStatus({ ok: true, text: t('invite.sent', { list: emails.join(', ') }) });
    } catch (err) {
      const p = inviteProblem(err);
      if ('text' in p) setStatus({ ok: false, text: t('common.error', { message: p.text }) });
      else if (p.key === 'invite.partial') {
        // Keep only the addresses that did not get it, ready to try again.
        setText(p.failed);
        setStatus({ ok: false, text: t(p.key, { sent: p.sent, failed: p.failed }) });
      } else setStatus({ ok: false, text: t(p.key) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="stack invite-form" onSubmit={submit} noValidate aria-labelledby="invite-title">
      <h3 id="invite-title">{t('invite.title')}</h3>
      <label className="field">
        <span>{t('invite.label')}</span>
        <textarea
          name="emails"
          rows={3}
          value={text}
          placeholder={t('invite.placeholder')}
          aria-describedby="invite-hint"
          onChange={(e) => setText(e.target.value)}
        />
      </label>
      <p id="invite-hint" className="small">
        {t('invite.hint')}
      </p>
      <div>
        <button type="submit" className="btn primary" disabled={busy || !text.trim()}>
          {busy ? t('invite.sending') : t('invite.send')}
        </button>
      </div>
      {status && (
        <p className={status.ok ? 'success' : 'error'} role={status.ok ? 'status' : 'alert'}>
          {status.text}
        </p>
      )}
    </form>
  );
}
