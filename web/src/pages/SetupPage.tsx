import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import { completeSetup } from '../api/endpoints';
import type { MessageKey } from '../i18n/dict';
import { useT } from '../i18n/i18n';
import { navigate } from '../lib/router';

// The first-run page: the link the server prints at its first start carries
// a one-time token in its fragment (never sent to the server in a request
// line, so never in access logs). The first person creates the first
// account here and is signed in to it.

type Problem = MessageKey | null;

const fieldMessages: Record<string, MessageKey> = {
  email: 'setup.badEmail',
  full_name: 'setup.badName',
  password: 'setup.badPassword',
};

/** SetupPage calls onCreated (which reloads the session) once the account exists. */
export function SetupPage({ onCreated }: { onCreated: () => Promise<void> }) {
  const t = useT();
  const token = location.hash.replace(/^#/, '');
  const [fullName, setFullName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<MessageKey[]>([]);
  const [closed, setClosed] = useState<Problem>(token ? null : 'setup.badLink');

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (password !== again) {
      setProblems(['setup.mismatch']);
      return;
    }
    setBusy(true);
    setProblems([]);
    try {
      await completeSetup(token, email, fullName, password);
      await onCreated();
      navigate('/', { replace: true });
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) setClosed('setup.done');
      else if (err instanceof ApiError && err.status === 403) setClosed('setup.badLink');
      else if (err instanceof ApiError && err.status === 400) {
        const keys = Object.keys(err.fields).map((f) => fieldMessages[f]).filter(Boolean);
        setProblems(keys.length ? keys : ['setup.failed']);
      } else setProblems(['setup.failed']);
    } finally {
      setBusy(false);
    }
  }

  if (closed) {
    return (
      <main className="center stack">
        <h1>{t('setup.title')}</h1>
        <p role="alert">{t(closed)}</p>
        <a href="/">{t('setup.home')}</a>
      </main>
    );
  }
  return (
    <main className="center stack">
      <form className="card stack" onSubmit={submit} aria-labelledby="setup-title">
        <h1 id="setup-title">{t('setup.title')}</h1>
        <p>{t('setup.intro')}</p>
        <label className="field">
          <span>{t('setup.fullName')}</span>
          <input name="full_name" autoComplete="name" maxLength={100} value={fullName} onChange={(e) => setFullName(e.target.value)} />
        </label>
        <label className="field">
          <span>{t('login.email')}</span>
          <input type="email" name="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label className="field">
          <span>{t('login.password')}</span>
          <input
            type="password"
            name="password"
            autoComplete="new-password"
            minLength={8}
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <label className="field">
          <span>{t('setup.repeat')}</span>
          <input
            type="password"
            name="password_again"
            autoComplete="new-password"
            required
            value={again}
            onChange={(e) => setAgain(e.target.value)}
          />
        </label>
        {problems.map((p) => (
          <p key={p} className="error" role="alert">
            {t(p)}
          </p>
        ))}
        <button type="submit" className="btn primary" disabled={busy}>
          {t('setup.submit')}
        </button>
      </form>
    </main>
  );
}
