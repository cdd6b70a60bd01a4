import { describeEnd } from '../call/disconnect';
import { ConnectionTestLink } from '../diagnostics/link';
import { useT } from '../i18n/i18n';
import { navigate } from '../lib/router';

/** EndedScreen says why the call ended, in a sentence, and offers to rejoin (not after a removal). */
export function EndedScreen({ reason, onRejoin }: { reason?: string; onRejoin: () => void }) {
  const t = useT();
  const end = describeEnd(reason);
  const title =
    end.kind === 'removed' ? t('end.titleRemoved') : end.kind === 'ended' ? t('end.titleEnded') : end.kind === 'problem' ? t('end.titleProblem') : t('ended.title');
  return (
    <main className="center-page">
      <section className="card stack narrow" aria-labelledby="ended-title" data-end-kind={end.kind}>
        <h1 id="ended-title">{title}</h1>
        {end.message && <p className="muted">{t(end.message)}</p>}
        {end.kind === 'problem' && <ConnectionTestLink label="diag.link" />}
        <div className="row wrap">
          {end.kind !== 'removed' && (
            // eslint-disable-next-line jsx-a11y/no-autofocus -- this screen replaces the call the user just left: focus goes to its main action instead of being lost
            <button type="button" className="btn primary" onClick={onRejoin} autoFocus>
              {t('ended.rejoin')}
            </button>
          )}
          {/* eslint-disable-next-line jsx-a11y/no-autofocus -- as above, when leaving for home is the only action */}
          <button type="button" className={end.kind === 'removed' ? 'btn primary' : 'btn secondary'} onClick={() => navigate('/')} autoFocus={end.kind === 'removed'}>
            {t('ended.home')}
          </button>
        </div>
      </section>
    </main>
  );
}
