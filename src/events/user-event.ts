/**
 * What happened to a user, as apps receive it (SPEC §2.9). `user.updated` covers the profile, the password
 * and bindings (mobile, WeChat, device); a password-reset or sign-in leaves no secret in the payload.
 */
export enum UserEventType {
  Created = 'user.created',
  Updated = 'user.updated',
  Deleted = 'user.deleted',
  Approved = 'user.approved',
  Rejected = 'user.rejected',
  Login = 'user.login',
}

export const USER_EVENT_TYPES: readonly UserEventType[] = Object.values(UserEventType);

/** The user as an event shows it: never a password, hash, code or token. */
export interface UserEventUser {
  id: number;
  email: string | null;
  username: string | null;
  /** The mobile the user signs in with, in E.164; null when there is none. */
  mobile: string | null;
  status: string;
  /** ISO 8601, UTC. */
  createdAt: string;
}

/** The body an endpoint receives, as Standard Webhooks shapes it: `type`, `timestamp`, `data`. */
export interface UserEventPayload {
  type: UserEventType;
  /** ISO 8601, UTC: when the change was made. */
  timestamp: string;
  data: {
    tenant: { kind: string; id: string };
    user: UserEventUser;
    /** The dialect whose tenant the user belongs to. */
    dialect: string;
    /**
     * What made the change: a user's register source for `user.created` (`basic:email`, `discuzq:mobile`,
     * `import:discuzq`), else the action (`password.change`, `login:password`, `cli`, ...). See docs/webhooks.md.
     */
    source: string;
  };
}
