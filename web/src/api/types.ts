// Shapes of the /api/v1.0/ resources the front end reads (snake_case, as served).

export type AccessLevel = 'public' | 'trusted' | 'restricted';
export type PublishSource = 'camera' | 'microphone' | 'screen_share' | 'screen_share_audio';
export const PUBLISH_SOURCES: PublishSource[] = ['camera', 'microphone', 'screen_share', 'screen_share_audio'];

export interface AppConfig {
  is_silent_login_enabled?: boolean;
  authentication?: { oidc?: boolean; local?: boolean };
  livekit?: {
    url?: string;
    default_sources?: PublishSource[];
    /** The ICE servers to use instead of the SFU's; null: use the SFU's. */
    ice_servers?: RTCIceServer[] | null;
  };
  resource?: { default_access_level?: AccessLevel };
  recording?: { is_enabled?: boolean; available_modes?: string[]; expiration_days?: number | null };
  diagnostics?: { connection_test_enabled?: boolean };
  /** The upload rules of custom virtual backgrounds (the files API). */
  background_image?: {
    upload_is_enabled?: boolean;
    max_count_by_user?: number;
    /** Bytes. */
    max_size?: number;
    /** With their dot: ".png". */
    allowed_extensions?: string[];
    allowed_mimetypes?: string[];
  };
}

export interface User {
  id: string;
  email: string;
  full_name: string;
  short_name: string;
  language?: string;
}

/** ConnectionTestCredentials is the answer of diagnostics/connection/: a short-lived token for a throwaway room. */
export interface ConnectionTestCredentials {
  livekit: { url: string; room: string; token: string; expires_in: number };
}

export interface LiveKitCredentials {
  url: string;
  room: string;
  token: string;
}

export interface RoomConfiguration {
  can_publish_sources?: PublishSource[];
  /** Whether participants who are not hosts may mute others (true when unset). */
  everyone_can_mute?: boolean;
  [key: string]: unknown;
}

export interface Room {
  id: string | null;
  name?: string;
  slug: string;
  access_level: AccessLevel;
  is_administrable?: boolean;
  configuration?: RoomConfiguration;
  livekit?: LiveKitCredentials;
  /** Who has a role in the room: only served to its owners and administrators. */
  accesses?: RoomAccess[];
}

export type EntryStatus = 'waiting' | 'accepted' | 'denied';

export interface EntryRequest {
  id: string;
  username: string;
  status: EntryStatus;
  color?: string;
  livekit: LiveKitCredentials | null;
}

export interface WaitingParticipant {
  id: string;
  username: string;
  status?: EntryStatus;
  color?: string;
}

export type RoomRole = 'member' | 'administrator' | 'owner';
export const ROOM_ROLES: RoomRole[] = ['member', 'administrator', 'owner'];

/** RoomAccess is one entry of a room's `accesses` (served to its owners and administrators). */
export interface RoomAccess {
  id: string;
  user: Pick<User, 'id' | 'email' | 'full_name' | 'short_name'>;
  resource: string;
  role: RoomRole;
}

/** ResourceAccess is the flat shape of resource-accesses/. */
export interface ResourceAccess {
  id: string;
  user: string;
  resource: string;
  role: RoomRole;
}

export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

export type RecordingStatus =
  | 'initiated'
  | 'active'
  | 'stopped'
  | 'saved'
  | 'aborted'
  | 'failed_to_start'
  | 'failed_to_stop'
  | 'notification_succeeded'
  | 'external_process_successful'
  | 'external_process_failed';

export type RecordingMode = 'screen_recording' | 'transcript';

export interface Recording {
  id: string;
  room: { id: string; name: string; slug: string; access_level: AccessLevel };
  created_at: string;
  updated_at: string;
  status: RecordingStatus;
  mode: RecordingMode;
  key: string;
  is_expired: boolean;
  /** When the recording expires; null: it never does. */
  expired_at: string | null;
}

/** RoomPreview is the body of rooms/{id}/preview/ (a meet addition). */
export interface RoomPreview {
  admission: 'direct' | 'lobby';
  participants_count: number;
  participants: string[];
  recording: { mode: 'screen_recording' | 'transcript'; status: 'initiated' | 'active' } | null;
  access_level: 'public' | 'trusted' | 'restricted';
}

