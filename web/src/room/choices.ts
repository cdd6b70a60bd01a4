/** JoinChoices is what the prejoin screen hands to the conference. */
export interface JoinChoices {
  username: string;
  audioEnabled: boolean;
  videoEnabled: boolean;
  audioDeviceId?: string;
  videoDeviceId?: string;
}
