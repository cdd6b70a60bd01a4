import { useT } from '../i18n/i18n';
import { navigate } from '../lib/router';

export function EndedScreen({ reason, onRejoin }: { reason?: string; onRejoin: () => void }) {
  const t = useT();
  return (
    <main className="center-page">
      <section className="card stack narrow" aria-labelledby="ended-title">
        <h1 id="ended-title">{t('ended.title')}</h1>
        {reason && <p className="muted">{t('ended.reason', { reason })}</p>}
        <div className="row wrap">
          <button type="button" className="btn primary" onClick={onRejoin} autoFocus>
            {t('ended.rejoin')}
          </button>
          <button type="button" className="btn secondary" onClick={() => navigate('/')}>
            {t('ended.home')}
          </button>
        </div>
      </section>
    </main>
  );
}
