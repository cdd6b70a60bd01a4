import './share.css';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { createAccess, deleteAccess, getRoomAccesses, searchUsers, updateAccess } from '../api/endpoints';
import type { RoomAccess, RoomRole } from '../api/types';
import { useSession } from '../auth/session';
import { useT } from '../i18n/i18n';
import { assignableRoles, canEdit, findAccount, isEmail, memberName, memberProblem, sortMembers } from './members';

type Status = { ok: boolean; text: string } | null;

/**
 * RoomMembers lists who has a role in the room and lets its owners and
 * administrators add people by e-mail (existing accounts only), change
 * their role or remove them, through resource-accesses/.
 */
export function RoomMembers({ roomId }: { roomId: string }) {
  const t = useT();
  const { user } = useSession();
  const [members, setMembers] = useState<RoomAccess[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<RoomRole>('member');
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<Status>(null);

  const reload = useCallback(async () => {
    try {
      setMembers(sortMembers(await getRoomAccesses(roomId)));
      setLoadError(null);
    } catch (err) {
      setLoadError(err instanceof Error ? err.message : String(err));
    }
  }, [roomId]);
  useEffect(() => void reload(), [reload]);

  const myRole = members?.find((a) => a.user.id === user?.id)?.role;
  const fail = (err: unknown) => {
    const p = memberProblem(err);
    setStatus({ ok: false, text: 'key' in p ? t(p.key) : t('common.error', { message: p.text }) });
  };

  async function run(action: () => Promise<Status>) {
    setBusy(true);
    setStatus(null);
    try {
      const done = await action();
      await reload();
      setStatus(done);
    } catch (err) {
      fail(err);
    } finally {
      setBusy(false);
    }
  }

  function add(e: FormEvent) {
    e.preventDefault();
    const wanted = email.trim();
    if (!isEmail(wanted)) {
      setStatus({ ok: false, text: t('members.invalidEmail') });
      return;
    }
    if (members?.some((a) => a.user.email.toLowerCase() === wanted.toLowerCase())) {
      setStatus({ ok: false, text: t('members.already', { email: wanted }) });
      return;
    }
    void run(async () => {
      const found = findAccount((await searchUsers(wanted)).results, wanted);
      if (!found) return { ok: false, text: t('members.noAccount', { email: wanted }) };
      await createAccess(roomId, found.id, role);
      setEmail('');
      return { ok: true, text: t('members.added', { name: wanted }) };
    });
  }

  const change = (a: RoomAccess, to: RoomRole) =>
    run(async () => {
      await updateAccess(a.id, to);
      return { ok: true, text: t('members.updated', { name: memberName(a), role: t(`members.role.${to}`) }) };
    });
  const remove = (a: RoomAccess) =>
    run(async () => {
      await deleteAccess(a.id);
      return { ok: true, text: t('members.removed', { name: memberName(a) }) };
    });

  const roles = assignableRoles(myRole);
  return (
    <section className="members stack" aria-labelledby="members-title">
      <h3 id="members-title">{t('members.title')}</h3>
      <p className="small muted-panel">{t('members.hint')}</p>
      {loadError && (
        <p className="error" role="alert">
          {t('members.loadError', { message: loadError })}
        </p>
      )}
      {members === null && !loadError && <p role="status">{t('common.loading')}</p>}
      {members && (
        <ul className="member-list">
          {members.map((a) => {
            const name = memberName(a);
            const editable = canEdit(a, user?.id, myRole);
            const mine = a.user.id === user?.id;
            return (
              <li key={a.id} className="member-row">
                <div className="member-who">
                  <span className="member-name">
                    {name} {mine && <span className="small">{t('members.you')}</span>}
                  </span>
                  {a.user.full_name && <span className="small member-email">{a.user.email}</span>}
                </div>
                <select
                  aria-label={t('members.role', { name })}
                  value={a.role}
                  disabled={busy || !editable}
                  onChange={(e) => void change(a, e.target.value as RoomRole)}
                >
                  {/* The current role stays listed even when this user could not give it. */}
                  {[...new Set<RoomRole>([...roles, a.role])].map((r) => (
                    <option key={r} value={r}>
                      {t(`members.role.${r}`)}
                    </option>
                  ))}
                </select>
                <button
                  type="button"
                  className="btn secondary small"
                  disabled={busy || !editable}
                  aria-label={t('members.removeLabel', { name })}
                  onClick={() => void remove(a)}
                >
                  {t('members.remove')}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <form className="stack member-add" onSubmit={add} noValidate>
        <label className="field">
          <span>{t('members.addLabel')}</span>
          <input
            type="email"
            name="member_email"
            autoComplete="off"
            placeholder={t('members.addPlaceholder')}
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <div className="row wrap">
          <label className="row">
            <span>{t('members.newRole')}</span>
            <select value={role} onChange={(e) => setRole(e.target.value as RoomRole)} name="member_role">
              {roles.map((r) => (
                <option key={r} value={r}>
                  {t(`members.role.${r}`)}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="btn primary" disabled={busy || !email.trim()}>
            {t('members.add')}
          </button>
        </div>
      </form>
      {status && (
        <p className={status.ok ? 'success' : 'error'} role={status.ok ? 'status' : 'alert'}>
          {status.text}
        </p>
      )}
    </section>
  );
}
