import { apiFetch, API_BASE } from './client';
import type {
  AccessLevel,
  AppConfig,
  ConnectionTestCredentials,
  EntryRequest,
  Page,
  PublishSource,
  Recording,
  ResourceAccess,
  Room,
  RoomPreview,
  RoomRole,
  User,
  WaitingParticipant,
} from './types';

const enc = encodeURIComponent;

export const getConfig = () => apiFetch<AppConfig>('/config/');
/** startConnectionTest asks for a LiveKit token for the connection test (404 when the feature is off). */
export const startConnectionTest = () => apiFetch<ConnectionTestCredentials>('/diagnostics/connection/', { method: 'POST' });
export const getMe = () => apiFetch<User>('/users/me/');
export const logout = () => apiFetch<void>('/logout/', { method: 'POST' });
export const localLogin = (email: string, password: string) =>
  apiFetch<void>('/local-login/', { method: 'POST', body: { email, password } });

/** loginUrl is the OIDC entry point; the server redirects back to returnTo. */
export function loginUrl(returnTo: string, silent = false): string {
  const q = new URLSearchParams({ returnTo });
  if (silent) q.set('silent', 'true');
  return `${API_BASE}/authenticate/?${q.toString()}`;
}

export const createRoom = (name: string, accessLevel?: AccessLevel) =>
  apiFetch<Room>('/rooms/', {
    method: 'POST',
    body: accessLevel ? { name, access_level: accessLevel } : { name },
  });

export const getRoom = (idOrSlug: string, username: string) =>
  apiFetch<Room>(`/rooms/${enc(idOrSlug)}/?username=${enc(username)}`);

/** getRoomPreview reads what the prejoin screen shows: admission, who is in, recording. */
export const getRoomPreview = (idOrSlug: string) => apiFetch<RoomPreview>(`/rooms/${enc(idOrSlug)}/preview/`);

export interface RoomPatch {
  access_level?: AccessLevel;
  configuration?: { can_publish_sources?: PublishSource[] };
}
export const patchRoom = (id: string, patch: RoomPatch) =>
  apiFetch<Room>(`/rooms/${enc(id)}/`, { method: 'PATCH', body: patch });

export const requestEntry = (roomId: string, username: string) =>
  apiFetch<EntryRequest>(`/rooms/${enc(roomId)}/request-entry/`, {
    method: 'POST',
    body: { username },
  });
/** entryStreamUrl carries the username too, so the stream can stand in for a first request-entry. */
export const entryStreamUrl = (roomId: string, username: string) =>
  `${API_BASE}/rooms/${enc(roomId)}/request-entry/stream/?username=${enc(username)}`;

export const listWaiting = (roomId: string) =>
  apiFetch<{ participants: WaitingParticipant[] }>(`/rooms/${enc(roomId)}/waiting-participants/`);
export const waitingStreamUrl = (roomId: string) =>
  `${API_BASE}/rooms/${enc(roomId)}/waiting-participants/stream/`;
export const decideEntry = (roomId: string, participantId: string, allow: boolean) =>
  apiFetch<{ message: string }>(`/rooms/${enc(roomId)}/enter/`, {
    method: 'POST',
    body: { participant_id: participantId, allow_entry: allow },
  });

/** completeSetup creates the first account with the one-time setup token. */
export const completeSetup = (token: string, email: string, fullName: string, password: string) =>
  apiFetch<User>('/setup/', { method: 'POST', body: { token, email, full_name: fullName, password } });
export const listRecordings = (page = 1) => apiFetch<Page<Recording>>(`/recordings/?page=${page}`);
export const getRecording = (id: string) => apiFetch<Recording>(`/recordings/${enc(id)}/`);
/** recordingFileUrl serves the recording's file; it answers range requests, so a <video> can seek in it. */
export const recordingFileUrl = (id: string) => `${API_BASE}/recordings/${enc(id)}/download/`;

/** searchUsers is users/?q=: the server may answer an empty page (user listing is off by default). */
export const searchUsers = (q: string) => apiFetch<Page<User>>(`/users/?q=${enc(q)}`);
export const createAccess = (roomId: string, userId: string, role: RoomRole) =>
  apiFetch<ResourceAccess>('/resource-accesses/', { method: 'POST', body: { user: userId, resource: roomId, role } });
export const updateAccess = (id: string, role: RoomRole) =>
  apiFetch<ResourceAccess>(`/resource-accesses/${enc(id)}/`, { method: 'PATCH', body: { role } });
export const deleteAccess = (id: string) => apiFetch<void>(`/resource-accesses/${enc(id)}/`, { method: 'DELETE' });

export const inviteToRoom = (roomId: string, emails: string[]) =>
  apiFetch<{ status: string; message: string }>(`/rooms/${enc(roomId)}/invite/`, { method: 'POST', body: { emails } });
/** getRoomAccesses reads the room's accesses (served to its owners and administrators only). */
export const getRoomAccesses = async (id: string) => (await apiFetch<Room>(`/rooms/${enc(id)}/`)).accesses ?? [];

/** updateUser changes the signed-in user's own preferences (users/{id}/ accepts only oneself). */
export const updateUser = (id: string, patch: { language?: string; timezone?: string }) =>
  apiFetch<User>(`/users/${enc(id)}/`, { method: 'PATCH', body: patch });
