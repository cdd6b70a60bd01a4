import { useT } from '../i18n/i18n';
import { sameVideoEffect, type VideoEffect } from './choices';
import type { BackgroundUploads } from './useBackgroundUploads';
import { acceptAttribute, mediaPath } from './uploads';

interface Props {
  uploads: BackgroundUploads;
  /** The radio group's name, shared with the built-in choices. */
  name: string;
  value: VideoEffect;
  choose: (video: VideoEffect) => void;
}

/**
 * UploadedTiles are the person's own images in the background grid, each
 * with a remove button, and a last tile that adds one. Choosing a newly
 * added image is immediate; removing the chosen one goes back to no effect.
 */
export function UploadedTiles({ uploads, name, value, choose }: Props) {
  const t = useT();
  if (!uploads.signedIn) return null;
  const items = uploads.items ?? [];
  const full = uploads.rules.maxCount > 0 && items.length >= uploads.rules.maxCount;

  const onFile = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    // The same file can be picked again after a refusal.
    input.value = '';
    if (!file) return;
    const ready = await uploads.add(file);
    const url = ready && mediaPath(ready.url);
    if (ready && url) choose({ kind: 'upload', id: ready.id, url });
  };
  const onRemove = async (id: string) => {
    const wasChosen = value.kind === 'upload' && value.id === id;
    if ((await uploads.remove(id)) && wasChosen) choose({ kind: 'none' });
  };

  return (
    <>
      {items.map((f) => {
        const url = mediaPath(f.url);
        if (!url) return null;
        const effect: VideoEffect = { kind: 'upload', id: f.id, url };
        const checked = sameVideoEffect(effect, value);
        const label = f.title || f.filename;
        return (
          <div key={f.id} className="fx-upload" data-testid="uploaded-background">
            <label className="fx-tile fx-image" data-checked={checked} title={label}>
              <input type="radio" name={name} checked={checked} onChange={() => choose(effect)} className="visually-hidden" />
              <span className="fx-thumb" aria-hidden="true" style={{ backgroundImage: `url("${url}")` }} />
              <span className="fx-label">{label}</span>
            </label>
            <button type="button" className="fx-remove" aria-label={t('bgUpload.remove', { name: label })} title={t('bgUpload.remove', { name: label })} onClick={() => void onRemove(f.id)}>
              <span aria-hidden="true">×</span>
            </button>
          </div>
        );
      })}
      <label className="fx-tile fx-add" data-busy={uploads.busy} data-disabled={full || uploads.busy} title={t('bgUpload.add')}>
        <input
          type="file"
          className="visually-hidden"
          accept={acceptAttribute(uploads.rules)}
          disabled={full || uploads.busy}
          onChange={(e) => void onFile(e.currentTarget)}
          data-testid="background-upload-input"
        />
        <span className="fx-thumb" aria-hidden="true">
          {uploads.busy ? <span className="fx-spinner" /> : '+'}
        </span>
        <span className="fx-label">{uploads.busy ? t('bgUpload.adding') : t('bgUpload.add')}</span>
      </label>
    </>
  );
}
