/**
 * What a signed-in user does in each dialect, for `npm run bench`: how a seeded user signs in through the
 * dialect's own route, then reads their profile with the token it answered, and, in the dialects that have
 * refresh tokens, trades one for the next. Every request here is one a real client of that dialect sends.
 */
import { createHash, createHmac } from 'node:crypto';

export const PASSWORD = 'Tulip-Garden-42';

/** One HTTP request, as autocannon sends it. */
export interface Call {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** A seeded user of one dialect: an email or a username in the dialect's tenant. */
export interface Identity {
  email?: string;
  username?: string;
}

/** What one sign-in answered: the request that reads the user's profile, and the refresh token if any. */
export interface Session {
  read: Call;
  refreshToken?: string;
}

/** A route that spends a token and answers the next one: each answer's token is the only one the next request may use. */
export interface Refresh {
  route: string;
  call(token: string): Call;
  next(body: string): string;
}

export interface HotPaths {
  dialect: string;
  tenant: { kind: string; code: string };
  /** The route `read` calls, as printed. */
  readRoute: string;
  identity: (index: number) => Identity;
  signIn: (port: number, index: number) => Promise<Session>;
  refresh?: Refresh;
  /** Whether an answer with the expected status succeeded, for a dialect that answers its errors with HTTP 200 too. */
  succeeded?: (body: string) => boolean;
}

export interface Tenants {
  userpool: string;
  site: string;
  bytepowerApp: string;
  bytepowerKeyName: string;
  bytepowerKeySecret: string;
  userDomain: string;
  userDomainSecret: string;
}

const JSON_TYPE = 'application/json';
const JSON_API_TYPE = 'application/vnd.api+json';
const FORM_TYPE = 'application/x-www-form-urlencoded';
const BYTEPOWER_ACCEPT = 'application/vnd.bytepower.v1+json';

/** Sends one request; a status other than 2xx is an error naming the route and the answer. */
export async function send(port: number, call: Call): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${call.path}`, { method: call.method, headers: call.headers, body: call.body });
  const body = await response.text();
  if (response.status >= 300) {
    throw new Error(`${call.method} ${call.path.split('?')[0]} answered ${response.status}: ${body.slice(0, 300)}`);
  }
  return { status: response.status, body };
}

const field = (body: string, ...path: string[]): string => {
  let value: unknown = JSON.parse(body);
  for (const key of path) value = (value as Record<string, unknown> | undefined)?.[key];
  if (typeof value !== 'string' && typeof value !== 'number') throw new Error(`no ${path.join('.')} in ${body.slice(0, 300)}`);
  return String(value);
};

/** BytePower's server token: an HS256 JWT `{key_name, iat}` under the key's secret, good for an hour. */
function bytepowerAuthToken(keyName: string, secret: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ key_name: keyName, iat: Date.now() })}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

/** The four dialects' sign-in, profile read and refresh, for the tenants the bench made. */
export function hotPaths(t: Tenants): HotPaths[] {
  const bytepowerAuth = bytepowerAuthToken(t.bytepowerKeyName, t.bytepowerKeySecret);
  const bytepowerHeaders = { accept: BYTEPOWER_ACCEPT, 'x-bytepower-auth-token': bytepowerAuth };
  const poolHeaders = { 'x-userpool-id': t.userpool };
  return [
    {
      dialect: 'userpool',
      tenant: { kind: 'userpool', code: t.userpool },
      readRoute: 'GET /api/v1/users/me',
      identity: (i) => ({ email: `reader${i}@bench.example` }),
      async signIn(port, i) {
        const { body } = await send(port, userpoolSignIn(t.userpool, `reader${i}@bench.example`));
        const token = field(body, 'data', 'token');
        return {
          read: { method: 'GET', path: '/api/v1/users/me', headers: { ...poolHeaders, authorization: `Bearer ${token}` } },
          refreshToken: token,
        };
      },
      // Authing's refresh takes the live access token and answers a new one: nothing is spent, but each
      // answer's token is used next, as a client renewing before expiry does.
      refresh: {
        route: 'POST /api/v1/users/refresh-token (renews the access token)',
        call: (token) => ({
          method: 'POST',
          path: '/api/v1/users/refresh-token',
          headers: { ...poolHeaders, authorization: `Bearer ${token}` },
        }),
        next: (body) => field(body, 'data', 'token'),
      },
    },
    {
      dialect: 'jsonapi-users',
      tenant: { kind: 'site', code: t.site },
      readRoute: 'GET /api/users/{id}',
      identity: (i) => ({ username: `reader${i}` }),
      async signIn(port, i) {
        const { body } = await send(port, {
          method: 'POST',
          path: '/api/login',
          headers: { 'content-type': JSON_API_TYPE },
          body: JSON.stringify({ data: { attributes: { username: `reader${i}`, password: PASSWORD } } }),
        });
        const access = field(body, 'data', 'attributes', 'access_token');
        return {
          read: { method: 'GET', path: `/api/users/${field(body, 'data', 'id')}`, headers: { authorization: `Bearer ${access}` } },
          refreshToken: field(body, 'data', 'attributes', 'refresh_token'),
        };
      },
      refresh: {
        route: 'POST /api/refresh-token',
        call: (token) => ({
          method: 'POST',
          path: '/api/refresh-token',
          headers: { 'content-type': JSON_API_TYPE },
          body: JSON.stringify({ data: { attributes: { refresh_token: token } } }),
        }),
        next: (body) => field(body, 'data', 'attributes', 'refresh_token'),
      },
    },
    {
      dialect: 'bytepower',
      tenant: { kind: 'bytepower-app', code: t.bytepowerApp },
      readRoute: 'GET /bp/server/user/me',
      identity: (i) => ({ username: `reader${i}` }),
      async signIn(port, i) {
        const { body } = await send(port, {
          method: 'POST',
          path: '/bp/server/user/login',
          headers: { ...bytepowerHeaders, 'content-type': JSON_TYPE },
          body: JSON.stringify({ name_password: { name: `reader${i}`, password: PASSWORD } }),
        });
        const session = field(body, 'user', 'session', 'session_token');
        return {
          read: { method: 'GET', path: '/bp/server/user/me', headers: { ...bytepowerHeaders, 'x-bytepower-session-token': session } },
        };
      },
    },
    {
      dialect: 'enduser',
      tenant: { kind: 'user-domain', code: t.userDomain },
      // Quectel's envelope: every answer is HTTP 200, and `code` 200 is the success.
      succeeded: (body) => (JSON.parse(body) as { code?: unknown }).code === 200,
      readRoute: 'GET /v2/enduser/enduserapi/userInfo',
      identity: (i) => ({ email: `reader${i}@bench.example` }),
      async signIn(port, i) {
        const email = `reader${i}@bench.example`;
        const signature = createHash('sha256').update(`${email}${PASSWORD}${t.userDomainSecret}`).digest('hex');
        const query = new URLSearchParams({ email, userDomain: t.userDomain, signature });
        const { body } = await send(port, {
          method: 'POST',
          path: `/v2/enduser/enduserapi/emailPwdLogin?${query.toString()}`,
          headers: { 'content-type': FORM_TYPE },
          body: new URLSearchParams({ pwd: PASSWORD }).toString(),
        });
        return {
          read: {
            method: 'GET',
            path: '/v2/enduser/enduserapi/userInfo',
            headers: { authorization: field(body, 'data', 'accessToken', 'token') },
          },
          refreshToken: field(body, 'data', 'refreshToken', 'token'),
        };
      },
      refresh: {
        route: 'PUT /v2/enduser/enduserapi/refreshToken',
        call: (token) => ({
          method: 'PUT',
          path: '/v2/enduser/enduserapi/refreshToken',
          headers: { 'content-type': FORM_TYPE },
          body: new URLSearchParams({ refreshToken: token }).toString(),
        }),
        next: (body) => field(body, 'data', 'refreshToken', 'token'),
      },
    },
  ];
}

/** The sign-in the bench times: userpool's `POST /api/v1/login/account` with an email. */
export function userpoolSignIn(pool: string, email: string): Call {
  return {
    method: 'POST',
    path: '/api/v1/login/account',
    headers: { 'content-type': JSON_TYPE, 'x-userpool-id': pool },
    body: JSON.stringify({ account: email, password: PASSWORD }),
  };
}
