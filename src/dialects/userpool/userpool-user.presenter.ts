import { Tenant } from '../../users/entities/tenant.entity';
import { User } from '../../users/entities/user.entity';
import { IssuedToken } from '../../tokens/tokens.service';

const PROFILE_FIELDS = [
  'nickname',
  'company',
  'photo',
  'name',
  'website',
  'gender',
  'birthdate',
  'folk',
  'education',
  'zoneinfo',
  'locale',
  'address',
  'formatted',
  'streetAddress',
  'locality',
  'region',
  'postalCode',
  'city',
  'province',
  'country',
  'displayName',
] as const;

/** Seed fields this service has no notion of; present, as the seed's clients expect, but null. */
const UNKNOWN_FIELDS = [
  'userType',
  'code',
  'secondaryEmail',
  'browser',
  'device',
  'externalId',
  'mainDepartmentId',
  'mainDepartmentCode',
  'phoneCountryCode',
  'lastOrganizationUuid',
  'lastLoginApp',
  'lastLoginAppName',
  'lastLoginAppLogo',
  'expiredAt',
  'accessToken',
  'refreshToken',
  'unionid',
  'openid',
] as const;

export interface PresentedAs {
  /** The token to hand out (a login's, or the one a signed-in request came with); none leaves `token` null. */
  token?: IssuedToken | null;
  /** True only in the answer to the registration that created the user. */
  newUser?: boolean;
}

const isoOrNull = (ms: number | null | undefined) => (typeof ms === 'number' ? new Date(ms).toISOString() : null);

/** The seed's user object, every field present. Never carries the password or its hash. */
export function presentUserpoolUser(user: User, pool: Tenant, { token = null, newUser = false }: PresentedAs = {}) {
  const profile = user.profile;
  const pick = (key: string) => (typeof profile[key] === 'string' ? profile[key] : null);
  return {
    id: String(user.id),
    createdAt: new Date(user.createdAt).toISOString(),
    updatedAt: new Date(user.updatedAt).toISOString(),
    userpoolId: pool.code,
    isRoot: false,
    status: 'Activated',
    email: user.email,
    phone: user.phone,
    username: user.username,
    password: null,
    loginsCount: user.loginsCount,
    lastIp: user.lastIp ?? null,
    ...Object.fromEntries(PROFILE_FIELDS.map((key) => [key, pick(key)])),
    ...Object.fromEntries(UNKNOWN_FIELDS.map((key) => [key, null])),
    registerSource: [user.registerSource],
    emailVerified: user.emailVerified,
    phoneVerified: false,
    lastLogin: isoOrNull(user.lastLoginAt),
    signedUp: new Date(user.createdAt).toISOString(),
    passwordSecurityLevel: typeof profile.passwordSecurityLevel === 'number' ? profile.passwordSecurityLevel : null,
    resetPasswordOnFirstLogin: false,
    resetedPassword: false,
    resetPasswordOnNextLogin: false,
    perpetual: true,
    orgs: [],
    token: token?.token ?? null,
    tokenExpiredAt: token?.expiresAt.toISOString() ?? null,
    newUser,
  };
}

export type UserpoolUserView = ReturnType<typeof presentUserpoolUser>;
