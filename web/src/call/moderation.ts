// Who may do what to whom in the call, following the server's rules (see
// docs/api.md, "In-call actions"): the menus only offer what will succeed.

/** HOST_ROLES are the room_role values that manage the room. */
const HOST_ROLES = new Set(['owner', 'administrator']);

/** isHostRole reports whether a room_role attribute lets the participant manage the room. */
export function isHostRole(role: string | undefined): boolean {
  return role !== undefined && HOST_ROLES.has(role);
}

/** ModerationTarget is what the rules read of the participant acted upon. */
export interface ModerationTarget {
  isLocal: boolean;
  /** The room_role attribute: owner, administrator, member, or absent for guests. */
  role?: string;
  /** Whether the participant joined signed in (is_authenticated attribute). */
  authenticated: boolean;
  micOn: boolean;
  cameraOn: boolean;
  screenOn: boolean;
  handRaised: boolean;
}

/** ModerationAction is one entry of a participant's menu. */
export type MenuAction = 'mute' | 'stopCamera' | 'stopScreen' | 'lowerHand' | 'makeCohost' | 'removeCohost' | 'remove';

/** Viewer is who looks at the menu. */
export interface Viewer {
  isHost: boolean;
  /** The room's configuration.everyone_can_mute (true when unset). */
  everyoneCanMute: boolean;
}

/**
 * menuActions lists what the viewer may do to target, in menu order. Hosts
 * mute, stop video, lower hands, change co-hosts (accounts only; owners are
 * never demoted) and remove; others only mute microphones, and only where
 * the room allows it. Nobody gets a menu for themselves.
 */
export function menuActions(viewer: Viewer, target: ModerationTarget): MenuAction[] {
  if (target.isLocal) return [];
  const out: MenuAction[] = [];
  if (!viewer.isHost) {
    if (viewer.everyoneCanMute && target.micOn) out.push('mute');
    return out;
  }
  if (target.micOn) out.push('mute');
  if (target.cameraOn) out.push('stopCamera');
  if (target.screenOn) out.push('stopScreen');
  if (target.handRaised) out.push('lowerHand');
  if (target.authenticated && target.role !== 'owner') out.push(target.role === 'administrator' ? 'removeCohost' : 'makeCohost');
  out.push('remove');
  return out;
}

/** everyoneCanMute reads the room configuration flag, true when unset as on the server. */
export function everyoneCanMute(configuration: Record<string, unknown> | undefined): boolean {
  return configuration?.everyone_can_mute !== false;
}

/** RoleChange is what changed in the local participant's role that it should be told. */
export type RoleChange = 'promoted' | 'demoted' | null;

/** roleChange compares the local room_role before and after an attribute update. */
export function roleChange(before: string | undefined, after: string | undefined): RoleChange {
  const was = isHostRole(before);
  const is = isHostRole(after);
  // No role yet is the first read, at connection: nothing changed.
  if (before === undefined || before === after || was === is) return null;
  return is ? 'promoted' : 'demoted';
}
