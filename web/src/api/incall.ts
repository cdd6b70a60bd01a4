// The in-call actions of /api/v1.0/rooms/{id}/ (see docs/api.md, "In-call
// actions"). Host actions authenticate with the session cookie; the actions
// of any participant carry its LiveKit token, which the server checks.

import { apiFetch } from './client';

const enc = encodeURIComponent;
const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
type Ok = { status: string };

/** toggleHand raises or lowers the caller's own hand. */
export const toggleHand = (roomId: string, token: string, raised: boolean) =>
  apiFetch<Ok>(`/rooms/${enc(roomId)}/toggle-hand/`, { method: 'POST', body: { raised }, headers: bearer(token) });

/**
 * muteTrack mutes one published track of a participant. Hosts go by session;
 * others pass their LiveKit token (allowed when the room's everyone_can_mute
 * is on): a token never counts as a host's.
 */
export const muteTrack = (roomId: string, identity: string, trackSid: string, token?: string) =>
  apiFetch<Ok>(`/rooms/${enc(roomId)}/mute-participant/`, {
    method: 'POST',
    body: { participant_identity: identity, track_sid: trackSid },
    headers: token ? bearer(token) : undefined,
  });

/** removeParticipant disconnects a participant (host only). */
export const removeParticipant = (roomId: string, identity: string) =>
  apiFetch<Ok>(`/rooms/${enc(roomId)}/remove-participant/`, { method: 'POST', body: { participant_identity: identity } });

/** setParticipantRole makes a signed-in participant a co-host (administrator) or a member again. */
export const setParticipantRole = (roomId: string, identity: string, role: 'member' | 'administrator') =>
  apiFetch<{ role: string; livekit_synced: boolean }>(`/rooms/${enc(roomId)}/update-participant-role/`, {
    method: 'POST',
    body: { participant_identity: identity, role },
  });

/** lowerHand lowers one participant's hand (host only). */
export const lowerHand = (roomId: string, identity: string) =>
  apiFetch<Ok>(`/rooms/${enc(roomId)}/update-participant/`, {
    method: 'POST',
    body: { participant_identity: identity, attributes: { handRaisedAt: '' } },
  });

/** lowerAllHands lowers every raised hand of the call (host only). */
export const lowerAllHands = (roomId: string) =>
  apiFetch<{ status: string; lowered: number }>(`/rooms/${enc(roomId)}/lower-hands/`, { method: 'POST' });

/** startRecording starts a screen recording or a transcript (host only). */
export const startRecording = (roomId: string, mode: 'screen_recording' | 'transcript') =>
  apiFetch<{ message: string }>(`/rooms/${enc(roomId)}/start-recording/`, { method: 'POST', body: { mode } });

/** stopRecording stops the room's running recording (host only). */
export const stopRecording = (roomId: string) =>
  apiFetch<{ message: string }>(`/rooms/${enc(roomId)}/stop-recording/`, { method: 'POST' });

/** renameSelf changes the caller's display name in the call; everyone sees the new name. */
export const renameSelf = (roomId: string, token: string, name: string) =>
  apiFetch<Ok>(`/rooms/${enc(roomId)}/rename/`, { method: 'POST', body: { name }, headers: bearer(token) });
