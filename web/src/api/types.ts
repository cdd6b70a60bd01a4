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
  recording?: { is_enabled?: boolean; available_modes?: string[] };
}

export interface User {
  id: string;
  email: string;
  full_name: string;
  short_name: string;
  language?: string;
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
