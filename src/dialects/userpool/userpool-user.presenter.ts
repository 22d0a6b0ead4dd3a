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
  'lastIp',
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

/** The seed's user object, every field present. Never carries the password or its hash. */
export function presentUserpoolUser(user: User, pool: Tenant, token: IssuedToken | null) {
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
    ...Object.fromEntries(PROFILE_FIELDS.map((key) => [key, pick(key)])),
    ...Object.fromEntries(UNKNOWN_FIELDS.map((key) => [key, null])),
    registerSource: [user.registerSource],
    emailVerified: user.emailVerified,
    phoneVerified: false,
    lastLogin: token ? new Date(user.updatedAt).toISOString() : null,
    signedUp: new Date(user.createdAt).toISOString(),
    passwordSecurityLevel: typeof profile.passwordSecurityLevel === 'number' ? profile.passwordSecurityLevel : null,
    resetPasswordOnFirstLogin: false,
    resetedPassword: false,
    resetPasswordOnNextLogin: false,
    perpetual: true,
    orgs: [],
    token: token?.token ?? null,
    tokenExpiredAt: token?.expiresAt.toISOString() ?? null,
    newUser: true,
  };
}

export type UserpoolUserView = ReturnType<typeof presentUserpoolUser>;
