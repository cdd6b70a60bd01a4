import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { deleteBackground, listBackgrounds, uploadBackground, type UploadedFile } from '../api/files';
import { useConfig, useUser } from '../auth/session';
import type { VideoEffect } from './choices';
import { checkFile, refusal, uploadGone, uploadRules, type UploadProblem, type UploadRules } from './uploads';

/** BackgroundUploads is the person's own background images and what can be done with them. */
export interface BackgroundUploads {
  rules: UploadRules;
  /** Only a signed-in person has images of their own. */
  signedIn: boolean;
  /** The ready images, newest first; undefined while the list loads. */
  items: UploadedFile[] | undefined;
  /** An image is being sent. */
  busy: boolean;
  /** Why the last add or remove did not happen; null when it did. */
  problem: UploadProblem | null;
  /** add sends an image and returns it once ready, or null when refused (problem says why). */
  add: (file: File) => Promise<UploadedFile | null>;
  /** remove deletes an image; false when it could not be (problem says why). */
  remove: (id: string) => Promise<boolean>;
}

// More pages than max_count_by_user could fill: a bound, not a limit anyone meets.
const MAX_PAGES = 5;

/**
 * useBackgroundUploads loads the person's uploaded backgrounds when the
 * server allows uploads (config/'s background_image.upload_is_enabled) and
 * they are signed in; null when uploads are off. When the chosen background
 * is an upload that is gone (removed here or elsewhere, signed out,
 * uploads turned off) it calls drop, so the camera goes back to no effect
 * rather than failing on a missing image.
 */
export function useBackgroundUploads(video: VideoEffect, drop: () => void): BackgroundUploads | null {
  const config = useConfig();
  const rules = useMemo(() => uploadRules(config), [config]);
  const signedIn = useUser() !== null;
  const [items, setItems] = useState<UploadedFile[]>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<UploadProblem | null>(null);
  const enabled = rules !== null && signedIn;
  const live = useRef(true);

  useEffect(() => {
    live.current = true;
    return () => void (live.current = false);
  }, []);

  useEffect(() => {
    if (!enabled) {
      setItems(undefined);
      return;
    }
    const abort = new AbortController();
    (async () => {
      const all: UploadedFile[] = [];
      for (let page = 1; page <= MAX_PAGES; page++) {
        const res = await listBackgrounds(page, abort.signal);
        all.push(...res.results);
        if (!res.next) break;
      }
      setItems(all);
    })().catch((err: unknown) => {
      if (abort.signal.aborted) return;
      console.warn('could not list background images', err);
      // Shown as an empty list: the built-in images still work.
      setItems([]);
      setProblem({ key: 'bgUpload.loadFailed' });
    });
    return () => abort.abort();
  }, [enabled]);

  // A chosen upload that is not (or no longer) there is dropped. Until the
  // config has loaded nothing is known, so nothing is dropped.
  const gone = config !== null && uploadGone(video, items, enabled);
  const dropRef = useRef(drop);
  useEffect(() => {
    dropRef.current = drop;
  });
  useEffect(() => {
    if (gone) dropRef.current();
  }, [gone]);

  const add = useCallback(
    async (file: File): Promise<UploadedFile | null> => {
      if (!rules) return null;
      const early = checkFile(file, rules);
      if (early) {
        setProblem(early);
        return null;
      }
      setBusy(true);
      setProblem(null);
      try {
        const ready = await uploadBackground(file);
        if (live.current) setItems((xs) => [ready, ...(xs ?? []).filter((x) => x.id !== ready.id)]);
        return ready;
      } catch (err) {
        if (live.current) setProblem(refusal(err, rules));
        return null;
      } finally {
        if (live.current) setBusy(false);
      }
    },
    [rules],
  );

  const remove = useCallback(async (id: string): Promise<boolean> => {
    setProblem(null);
    try {
      await deleteBackground(id);
    } catch (err) {
      console.warn('could not delete a background image', err);
      if (live.current) setProblem({ key: 'bgUpload.removeFailed' });
      return false;
    }
    if (live.current) setItems((xs) => xs?.filter((x) => x.id !== id));
    return true;
  }, []);

  if (!rules) return null;
  return { rules, signedIn, items, busy, problem, add, remove };
}
