// The files API (files/): the signed-in user's own virtual backgrounds, in
// La Suite Meet's three steps — create, PUT the bytes to the returned
// policy URL, then upload-ended/. The server checks the bytes (PNG or JPEG
// by default, at most config/'s background_image.max_size), and a ready
// file's url loads the image for its owner only.

import { ApiError, apiFetch, toApiError } from './client';
import type { Page } from './types';

export type FileUploadState = 'pending' | 'analyzing' | 'ready';

/** UploadedFile is one file of the files API (ListFileSerializer). */
export interface UploadedFile {
  id: string;
  created_at: string;
  updated_at: string;
  title: string;
  type: 'background_image';
  creator: { id: string; full_name: string; short_name: string };
  deleted_at: null;
  hard_deleted_at: null;
  filename: string;
  upload_state: FileUploadState;
  mimetype: string;
  size: number | null;
  description: null;
  /** Where the ready image loads from (null until ready). */
  url: string | null;
  abilities: Record<'destroy' | 'media_auth' | 'partial_update' | 'retrieve' | 'update' | 'upload_ended', boolean>;
}

/** CreatedFile is the create reply: the pending file and where its bytes go. */
export interface CreatedFile extends UploadedFile {
  policy: string;
}

/** listBackgrounds returns one page of the user's ready backgrounds, newest change first. */
export function listBackgrounds(page = 1, signal?: AbortSignal): Promise<Page<UploadedFile>> {
  const q = new URLSearchParams({ type: 'background_image', upload_state: 'ready', page: String(page) });
  return apiFetch<Page<UploadedFile>>(`/files/?${q}`, { signal });
}

/**
 * uploadBackground sends an image as a new background and returns the ready
 * file. A refused image rejects with an ApiError whose fields name the
 * reason (fields.file, fields.filename); the server keeps nothing of it.
 */
export async function uploadBackground(file: File, signal?: AbortSignal): Promise<UploadedFile> {
  const created = await apiFetch<CreatedFile>('/files/', {
    method: 'POST',
    body: { type: 'background_image', filename: file.name },
    signal,
  });
  // The policy URL is its own credential (like a presigned S3 URL): no
  // cookie or CSRF header is needed.
  let res: Response;
  try {
    res = await fetch(created.policy, {
      method: 'PUT',
      body: file,
      headers: { 'Content-Type': file.type || 'application/octet-stream' },
      credentials: 'omit',
      signal,
    });
  } catch (err) {
    await discard(created.id);
    throw err;
  }
  if (!res.ok) {
    let data: unknown;
    try {
      data = await res.json();
    } catch {
      data = undefined;
    }
    // A refused image is already gone; anything else leaves a pending file
    // that would count against the user's limit.
    if (res.status !== 400) await discard(created.id);
    throw toApiError(res.status, data);
  }
  return apiFetch<UploadedFile>(`/files/${encodeURIComponent(created.id)}/upload-ended/`, { method: 'POST', signal });
}

/** deleteBackground removes a background, its image included. */
export function deleteBackground(id: string, signal?: AbortSignal): Promise<void> {
  return apiFetch<void>(`/files/${encodeURIComponent(id)}/`, { method: 'DELETE', signal });
}

/** discard removes a file whose upload failed, ignoring any error. */
async function discard(id: string): Promise<void> {
  try {
    await deleteBackground(id);
  } catch {
    // Best effort: the user can still delete it from the list.
  }
}

/** imageURL is the URL to load a file's image from, or null while it is not ready. */
export function imageURL(f: Pick<UploadedFile, 'upload_state' | 'url'>): string | null {
  return f.upload_state === 'ready' ? f.url : null;
}

export { ApiError };
