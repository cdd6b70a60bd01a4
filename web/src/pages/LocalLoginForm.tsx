import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import { localLogin } from '../api/endpoints';
import { useSession } from '../auth/session';
import { useT } from '../i18n/i18n';
import { returnToAfterSignIn } from '../lib/returnTo';

export function LocalLoginForm() {
  const t = useT();
  const { reload } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await localLogin(email, password);
      setPassword('');
      const back = returnToAfterSignIn(location.search, location.origin);
      if (back) {
        location.assign(back);
        return;
      }
      await reload();
    } catch (err) {
      if (err instanceof ApiError && err.status === 429) setError(t('login.throttled'));
      else if (err instanceof ApiError && (err.status === 401 || err.status === 400)) setError(t('login.bad'));
      else setError(t('common.error', { message: err instanceof Error ? err.message : String(err) }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card stack" onSubmit={submit} aria-labelledby="login-title">
      <h2 id="login-title">{t('login.title')}</h2>
      <label className="field">
        <span>{t('login.email')}</span>
        <input type="email" name="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
      </label>
      <label className="field">
        <span>{t('login.password')}</span>
        <input
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="btn primary" disabled={busy}>
        {t('login.submit')}
      </button>
    </form>
  );
}
