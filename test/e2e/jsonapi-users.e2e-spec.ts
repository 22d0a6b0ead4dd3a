import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { sign, verify } from 'jsonwebtoken';
import type { Response } from 'supertest';
import { Clock } from '../../src/clock/clock';
import { SiteService } from '../../src/dialects/jsonapi-users/site.service';
import { RefreshToken } from '../../src/tokens/entities/refresh-token.entity';
import { Invite } from '../../src/dialects/jsonapi-users/invite.entity';
import { User, UserStatus } from '../../src/users/entities/user.entity';
import { PasswordHasherService } from '../../src/users/password-hasher.service';
import { TenantsService } from '../../src/users/tenants.service';
import { UsersService } from '../../src/users/users.service';
import { createTestApp, removeDataDir, TestApp, testEnvironment } from '../utils/create-test-app';
import { FakeClock } from '../utils/fake-clock';
import { TcpProxy } from '../utils/tcp-proxy';
import { parseJsonOutput, runCli } from '../utils/run-cli';
import { dropDatabase, freshDatabaseUrl, isMysql } from '../utils/test-database';
import { USERPOOL_TENANT_KIND } from '../../src/dialects/userpool/userpool.tenant-kind';

const MEDIA_TYPE = 'application/vnd.api+json';
const THIRTY_DAYS = 2592000;
// The JSON:API 1.0 response schema (CC0, json-api/json-api `_schemas/1.0/schema.json`), kept in the repo so
// that the suite runs from any clone.
const validateDocument = new Ajv2020({ strict: false, validateFormats: false, allErrors: true }).compile(
  JSON.parse(readFileSync(resolve(__dirname, '../fixtures/jsonapi-schema-1.0.json'), 'utf8')),
);

type Body = Record<string, any>;
interface ErrorObject {
  status: string;
  code: string;
  detail: string[];
  source?: { pointer: string };
}

/**
 * Every response of the dialect must be a JSON:API 1.0 document, with two deviations docs/dialects/jsonapi-users.md documents:
 * `detail` is an array of messages (the seed's shape), and the users resource repeats its id in
 * `attributes.id` (where the official web client reads it). Both are checked here, then set aside.
 */
function expectJsonApi(response: Response): void {
  expect(response.headers['content-type']).toMatch(/^application\/vnd\.api\+json(;|$)/);
  const document = structuredClone(response.body) as Body;
  for (const error of document.errors ?? []) {
    expect(error.detail).toEqual(expect.arrayContaining([expect.any(String)]));
    expect(error.detail.every((message: unknown) => typeof message === 'string' && message !== '')).toBe(true);
    error.detail = error.detail.join(' ');
  }
  for (const resource of [document.data].flat()) {
    if (resource?.type === 'users') {
      expect(resource.attributes.id).toBe(Number(resource.id));
      delete resource.attributes.id;
    }
  }
  const valid = validateDocument(document);
  expect({ valid, errors: validateDocument.errors ?? null }).toEqual({ valid: true, errors: null });
}

interface Call {
  body?: unknown;
  /** Sent as is, with the Content-Type given in headers. */
  raw?: string;
  headers?: Record<string, string>;
}

const document = (attributes: Body, type?: string) => ({ data: { ...(type === undefined ? {} : { type }), attributes } });

describe('jsonapi-users dialect', () => {
  let t: TestApp;
  const clock = new FakeClock();

  const send = async (method: 'get' | 'post' | 'put' | 'delete', path: string, call: Call = {}) => {
    const request = t.http()[method](path).set('Accept', MEDIA_TYPE);
    for (const [name, value] of Object.entries(call.headers ?? {})) {
      request.set(name, value);
    }
    if (call.raw !== undefined) {
      request.send(call.raw);
    } else if (call.body !== undefined) {
      if (!call.headers?.['Content-Type']) {
        request.set('Content-Type', MEDIA_TYPE);
      }
      request.send(JSON.stringify(call.body));
    }
    const response = await request;
    expectJsonApi(response);
    return response;
  };
  const post = (path: string, body: unknown, headers?: Record<string, string>) => send('post', path, { body, headers });
  /** Exactly what the official web client sends: no data.type, plain JSON with a charset, JSON:API accepted. */
  const webClient = (path: string, attributes: Body, headers: Record<string, string> = {}) =>
    post(path, document(attributes), { 'Content-Type': 'application/json;charset=utf-8', ...headers });
  const register = (attributes: Body, headers?: Record<string, string>) => webClient('/api/register', attributes, headers);
  const login = (username: string, password: string, headers?: Record<string, string>) =>
    webClient('/api/login', { username, password }, headers);
  const refresh = (refreshToken: unknown) => webClient('/api/refresh-token', { refresh_token: refreshToken });
  const getUser = (id: string, token?: string, query = '') =>
    send('get', `/api/users/${id}${query}`, { headers: token === undefined ? {} : { Authorization: `Bearer ${token}` } });

  const site = () => t.app.get(SiteService);
  const users = () => t.dataSource.getRepository(User);
  const userCount = () => users().count();

  const expectErrors = (response: Response, status: number, errors: Partial<ErrorObject>[]) => {
    expect(response.status).toBe(status);
    expect(response.body).toEqual({ errors: errors.map((error) => expect.objectContaining(error)) });
    for (const error of response.body.errors as ErrorObject[]) {
      expect(error.status).toBe(String(status));
    }
  };
  const fieldError = (field: string, detail: string[], code = 'validation_error'): Partial<ErrorObject> => ({
    code,
    detail,
    source: { pointer: `/data/attributes/${field}` },
  });
  const claimsOf = (token: string) =>
    verify(token, t.config.security.jwtSecret, {
      algorithms: ['HS256'],
      audience: 'site:site',
      issuer: 'unireg',
      clockTimestamp: Math.floor(clock.now() / 1000),
    }) as Record<string, unknown>;

  beforeAll(async () => {
    // In memory even when the suite runs with Redis: lockouts here expire by the fake clock, Redis by its own.
    t = await createTestApp({ REDIS_URL: '' }, (builder) => builder.overrideProvider(Clock).useValue(clock));
  });
  afterAll(() => t.close());
  beforeEach(() => t.reset());

  describe('POST /api/register', () => {
    it('registers what the web client sends and answers the seed token document', async () => {
      const response = await register({ username: 'alice', password: 'Tulip-Garden-42' });
      expect(response.status).toBe(200);
      const { data } = response.body;
      expect(response.body).toEqual({
        data: {
          type: 'token',
          id: expect.stringMatching(/^\d+$/),
          attributes: {
            token_type: 'Bearer',
            expires_in: THIRTY_DAYS,
            access_token: expect.any(String),
            refresh_token: expect.stringMatching(/^[\w-]{43}$/),
          },
        },
      });
      const claims = claimsOf(data.attributes.access_token);
      expect(claims).toMatchObject({ sub: data.id, aud: 'site:site' });
      expect(Number(claims.exp) - Number(claims.iat)).toBe(THIRTY_DAYS);
      const user = await users().findOneByOrFail({ id: Number(data.id) });
      expect(user).toMatchObject({ username: 'alice', status: UserStatus.Active, loginsCount: 1 });
      expect(JSON.stringify(response.body)).not.toMatch(/Tulip-Garden-42|\$2[aby]\$/);
    });

    it('accepts a JSON:API document with data.type users as application/vnd.api+json, with or without charset', async () => {
      expect((await post('/api/register', document({ username: 'bob', password: 'Tulip-Garden-42' }, 'users'))).status).toBe(200);
      const withCharset = await post('/api/register', document({ username: 'carol', password: 'Tulip-Garden-42' }, 'users'), {
        'Content-Type': `${MEDIA_TYPE}; charset=utf-8`,
      });
      expect(withCharset.status).toBe(200);
    });

    it('stores only the refresh token hash', async () => {
      const response = await register({ username: 'alice', password: 'Tulip-Garden-42' });
      const rows = await t.dataSource.getRepository(RefreshToken).find();
      expect(rows).toHaveLength(1);
      expect(rows[0].tokenHash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(rows)).not.toContain(response.body.data.attributes.refresh_token);
    });

    it('removes all white space from the username, inside it too', async () => {
      const response = await register({ username: ' al\tice\u3000 ', password: 'Tulip-Garden-42' });
      expect(response.status).toBe(200);
      expect((await users().findOneByOrFail({ id: Number(response.body.data.id) })).username).toBe('alice');
      expectErrors(await register({ username: 'alice', password: 'Tulip-Garden-42' }), 422, [
        fieldError('username', ['用户名 已经存在。']),
      ]);
    });

    it.each([
      ['case', 'Alice', 'ALICE'],
      ['compatibility form (NFKC)', 'ｊｏｈｎ', 'john'],
      ['composition (NFC vs NFD)', 'jos\u00e9', 'jose\u0301'],
      ['white space', 'bob smith', 'bobsmith'],
    ])('treats usernames differing by %s as one', async (_kind, first, second) => {
      expect((await register({ username: first, password: 'Tulip-Garden-42' })).status).toBe(200);
      expectErrors(await register({ username: second, password: 'Tulip-Garden-42' }), 422, [fieldError('username', ['用户名 已经存在。'])]);
    });

    it('accepts 15 characters after white space removal and refuses 16', async () => {
      expect((await register({ username: 'abcde fghij klmno', password: 'Tulip-Garden-42' })).status).toBe(200);
      expectErrors(await register({ username: 'abcde fghij klmnop', password: 'Tulip-Garden-42' }), 422, [
        fieldError('username', ['用户名 不能大于 15 个字符。']),
      ]);
      expect((await register({ username: '一二三四五六七八九十一二三四五', password: 'Tulip-Garden-42' })).status).toBe(200);
    });

    it('counts characters, not UTF-16 units: emoji usernames work', async () => {
      const response = await register({ username: '😀'.repeat(15), password: 'Tulip-Garden-42' });
      expect(response.status).toBe(200);
      expect((await users().findOneByOrFail({ id: Number(response.body.data.id) })).username).toBe('😀'.repeat(15));
      expectErrors(await register({ username: '😀'.repeat(16), password: 'Tulip-Garden-42' }), 422, [
        fieldError('username', ['用户名 不能大于 15 个字符。']),
      ]);
    });

    it('refuses a name whose normal form outgrows the stored one (15 ligatures that NFKC spells out in 18 letters each)', async () => {
      expectErrors(await register({ username: '\ufdfa'.repeat(15), password: 'Tulip-Garden-42' }), 422, [
        fieldError('username', ['用户名 格式不正确。']),
      ]);
      expect((await register({ username: '\ufdfa'.repeat(10), password: 'Tulip-Garden-42' })).status).toBe(200);
    });

    it.each(['匿名用户', '匿名 用户', ' 匿名用户 '])('refuses the reserved name %j', async (username) => {
      expectErrors(await register({ username, password: 'Tulip-Garden-42' }), 422, [fieldError('username', ['无效的用户名。'])]);
      expect(await userCount()).toBe(0);
    });

    it('refuses usernames containing a banned word, in any case or width, with content_banned', async () => {
      await site().addBannedWords(['admin', '管理员']);
      for (const username of ['superadmin', 'ＡＤＭＩＮ1', 'x管理员']) {
        expectErrors(await register({ username, password: 'Tulip-Garden-42' }), 422, [
          fieldError('username', ['当前内容包含禁止发布的词语。'], 'content_banned'),
        ]);
      }
      expect(await userCount()).toBe(0);
      expect((await register({ username: 'adm1n', password: 'Tulip-Garden-42' })).status).toBe(200);
    });

    it.each(['al\u200bice', 'bob\u0007', 'eve\u202e', 'x\u200d'])('refuses invisible and control characters: %j', async (username) => {
      expectErrors(await register({ username, password: 'Tulip-Garden-42' }), 422, [fieldError('username', ['用户名 格式不正确。'])]);
    });

    it.each([
      [{}, ['用户名 不能为空。'], ['密码 不能为空。']],
      [{ username: '', password: '' }, ['用户名 不能为空。'], ['密码 不能为空。']],
      [{ username: null, password: null }, ['用户名 不能为空。'], ['密码 不能为空。']],
      [{ username: ' \t ', password: 'x' }, ['用户名 不能为空。'], ['密码 至少为 6 个字符。']],
    ])('reports every failing field in its own error object: %j', async (attributes, username, password) => {
      expectErrors(await register(attributes), 422, [fieldError('username', username), fieldError('password', password)]);
      expect(await userCount()).toBe(0);
    });

    it('reports a taken username together with a short password', async () => {
      await register({ username: 'alice', password: 'Tulip-Garden-42' });
      expectErrors(await register({ username: 'alice', password: 'short' }), 422, [
        fieldError('username', ['用户名 已经存在。']),
        fieldError('password', ['密码 至少为 6 个字符。']),
      ]);
    });

    it('speaks English with Accept-Language: en', async () => {
      await register({ username: 'alice', password: 'Tulip-Garden-42' });
      expectErrors(
        await register({ username: 'alice', password: 'short', register_reason: 'x'.repeat(51) }, { 'Accept-Language': 'en-US,en;q=0.9' }),
        422,
        [
          fieldError('username', ['The username has already been taken.']),
          fieldError('password', ['The password must be at least 6 characters.']),
          fieldError('register_reason', ['The register reason may not be greater than 50 characters.']),
        ],
      );
    });

    describe('passwords', () => {
      it('takes its minimum length from the site, never below 6, and its maximum at 50', async () => {
        await site().update({ passwordLength: 8 });
        expectErrors(await register({ username: 'a', password: '9264751' }), 422, [fieldError('password', ['密码 至少为 8 个字符。'])]);
        expect((await register({ username: 'b', password: '92647513' })).status).toBe(200);
        expectErrors(await register({ username: 'c', password: 'x'.repeat(51) }), 422, [
          fieldError('password', ['密码 不能大于 50 个字符。']),
        ]);
        expect((await register({ username: 'd', password: 'x'.repeat(49) + 'y' })).status).toBe(200);
        await site().update({ passwordLength: 2 });
        expectErrors(await register({ username: 'e', password: '12345' }), 422, [fieldError('password', ['密码 至少为 6 个字符。'])]);
      });

      it('applies the site strength rules and names them all', async () => {
        await site().update({ passwordStrength: ['digits', 'lowercase', 'symbols', 'uppercase'] });
        expectErrors(await register({ username: 'a', password: 'abcdef12' }), 422, [
          fieldError('password', ['密码格式不正确，必须包含数字、小写字母、符号、大写字母。']),
        ]);
        expectErrors(await register({ username: 'a', password: 'ab1' }), 422, [
          fieldError('password', ['密码 至少为 6 个字符。', '密码格式不正确，必须包含数字、小写字母、符号、大写字母。']),
        ]);
        expect((await register({ username: 'a', password: 'Abc12!' })).status).toBe(200);
      });

      it('refuses more than 72 bytes, which bcrypt would cut, even within 50 characters', async () => {
        expectErrors(await register({ username: 'a', password: '密'.repeat(25) }), 422, [
          fieldError('password', ['密码 不能大于 72 个字节。']),
        ]);
        expect((await register({ username: 'b', password: '密'.repeat(23) + '码' })).status).toBe(200);
      });

      it('refuses a lone surrogate, which bcrypt would fold into U+FFFD', async () => {
        const response = await send('post', '/api/register', {
          raw: '{"data":{"attributes":{"username":"alice","password":"secret\\ud800x"}}}',
          headers: { 'Content-Type': 'application/json' },
        });
        expectErrors(response, 422, [fieldError('password', ['密码 格式不正确。'])]);
        expect(await userCount()).toBe(0);
      });
    });

    describe('register modes', () => {
      it('closed: 401 register_close and nothing created, whatever the attributes', async () => {
        await site().update({ registerMode: 'closed' });
        for (const attributes of [{ username: 'alice', password: 'Tulip-Garden-42' }, {}]) {
          expectErrors(await register(attributes), 401, [{ code: 'register_close', detail: ['站点禁止注册。'] }]);
        }
        expect(await userCount()).toBe(0);
      });

      it('review: register_reason is required; the empty one the web client sends is refused and nothing is created', async () => {
        await site().update({ registerMode: 'review' });
        expectErrors(await register({ username: 'alice', password: 'Tulip-Garden-42' }), 422, [
          fieldError('register_reason', ['注册原因 不能为空。']),
        ]);
        expectErrors(await register({ username: 'alice', password: 'Tulip-Garden-42', register_reason: '' }), 422, [
          fieldError('register_reason', ['注册原因 不能为空。']),
        ]);
        expectErrors(await register({ username: 'alice', password: 'Tulip-Garden-42', register_reason: '   ' }), 422, [
          fieldError('register_reason', ['注册原因 不能为空。']),
        ]);
        expect(await userCount()).toBe(0);
      });

      it('review: with a reason the user is created pending and told 401 register_validate; approved, they log in', async () => {
        await site().update({ registerMode: 'review' });
        const response = await register({ username: 'alice', password: 'Tulip-Garden-42', register_reason: '想参与讨论' });
        expectErrors(response, 401, [{ code: 'register_validate' }]);
        const user = await users().findOneByOrFail({ username: 'alice' });
        expect(user).toMatchObject({ status: UserStatus.PendingReview, profile: { registerReason: '想参与讨论' } });
        expect(await t.dataSource.getRepository(RefreshToken).count()).toBe(0);

        expectErrors(await login('alice', 'Tulip-Garden-42'), 401, [
          { code: 'register_validate', detail: ['帐号审核中，请审核通过后尝试。'] },
        ]);
        await t.app.get(UsersService).setStatus(user.id, { status: UserStatus.Active, source: 'test' });
        expect((await login('alice', 'Tulip-Garden-42')).status).toBe(200);
      });

      it('open: an empty register_reason counts as none, and a reason over 50 characters is refused', async () => {
        expect((await register({ username: 'alice', password: 'Tulip-Garden-42', register_reason: '' })).status).toBe(200);
        expectErrors(await register({ username: 'bob', password: 'Tulip-Garden-42', register_reason: '理'.repeat(51) }), 422, [
          fieldError('register_reason', ['注册原因 不能大于 50 个字符。']),
        ]);
        expect((await register({ username: 'bob', password: 'Tulip-Garden-42', register_reason: '理'.repeat(50) })).status).toBe(200);
      });
    });

    describe('invite codes', () => {
      const invite = async (expiresInDays?: number) => (await site().createInvites(1, expiresInDays))[0].code;

      it('spends a valid code once, case-insensitively, and refuses it afterwards', async () => {
        const code = await invite();
        const response = await register({ username: 'alice', password: 'Tulip-Garden-42', code: ` ${code.toLowerCase()} ` });
        expect(response.status).toBe(200);
        const row = await t.dataSource.getRepository(Invite).findOneByOrFail({ code });
        expect(row.usedBy).toBe(Number(response.body.data.id));
        expectErrors(await register({ username: 'bob', password: 'Tulip-Garden-42', code }), 422, [
          fieldError('code', ['邀请码 无效或已被使用。']),
        ]);
      });

      it('refuses unknown, expired and oversized codes, together with the other fields', async () => {
        expectErrors(await register({ username: 'alice', password: 'x', code: 'NOPE' }), 422, [
          fieldError('password', ['密码 至少为 6 个字符。']),
          fieldError('code', ['邀请码 无效或已被使用。']),
        ]);
        const code = await invite(1);
        clock.advance(24 * 3600);
        expectErrors(await register({ username: 'alice', password: 'Tulip-Garden-42', code }), 422, [
          fieldError('code', ['邀请码 无效或已被使用。']),
        ]);
        expectErrors(await register({ username: 'alice', password: 'Tulip-Garden-42', code: 'A'.repeat(100_000) }), 422, [
          fieldError('code', ['邀请码 无效或已被使用。']),
        ]);
        expect(await userCount()).toBe(0);
      });

      it('requires one when the site says so', async () => {
        await site().update({ inviteRequired: true });
        expectErrors(await register({ username: 'alice', password: 'Tulip-Garden-42' }), 422, [fieldError('code', ['邀请码 不能为空。'])]);
        expect((await register({ username: 'alice', password: 'Tulip-Garden-42', code: await invite() })).status).toBe(200);
      });

      it('lets exactly one of 20 concurrent registrations with one code win', async () => {
        const code = await invite();
        const responses = await Promise.all(
          Array.from({ length: 20 }, (_, i) => register({ username: `racer${i}`, password: 'Tulip-Garden-42', code })),
        );
        expect(responses.filter((r) => r.status === 200)).toHaveLength(1);
        for (const response of responses.filter((r) => r.status !== 200)) {
          expectErrors(response, 422, [fieldError('code', ['邀请码 无效或已被使用。'])]);
        }
        expect(await userCount()).toBe(1);
        expect(await t.dataSource.getRepository(Invite).countBy({ code })).toBe(1);
      });
    });

    it('lets exactly one of 20 concurrent registrations of one username win', async () => {
      const forms = ['race', 'RACE', 'Race', 'ｒａｃｅ', ' r a c e '];
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, i) => register({ username: forms[i % forms.length], password: 'Tulip-Garden-42' })),
      );
      expect(responses.filter((r) => r.status === 200)).toHaveLength(1);
      for (const response of responses.filter((r) => r.status !== 200)) {
        expectErrors(response, 422, [fieldError('username', ['用户名 已经存在。'])]);
      }
      expect(await users().countBy({ usernameNormalized: 'race' })).toBe(1);
    });

    describe('documents', () => {
      it('409 for another data.type', async () => {
        const response = await post('/api/register', document({ username: 'alice', password: 'Tulip-Garden-42' }, 'posts'));
        expectErrors(response, 409, [{ code: 'conflict', source: { pointer: '/data/type' } }]);
        expect(await userCount()).toBe(0);
      });

      it.each([
        ['an array', []],
        ['a string', 'register me'],
        ['null', null],
        ['a document without data', { attributes: { username: 'alice', password: 'Tulip-Garden-42' } }],
        ['data: null', { data: null }],
        ['data as an array', { data: [{ attributes: { username: 'alice', password: 'Tulip-Garden-42' } }] }],
        ['data as a string', { data: 'alice' }],
        ['a numeric data.type', { data: { type: 7, attributes: {} } }],
        ['attributes as an array', { data: { attributes: ['alice', 'Tulip-Garden-42'] } }],
        ['attributes as a string', { data: { attributes: 'alice:Tulip-Garden-42' } }],
      ])('400 for what is not a JSON:API document: %s', async (_kind, body) => {
        const response = await post('/api/register', body);
        expectErrors(response, 400, [{ code: 'bad_request' }]);
        expect(await userCount()).toBe(0);
      });

      it('a resource without attributes is missing both of them', async () => {
        expectErrors(await post('/api/register', { data: { type: 'users' } }), 422, [
          fieldError('username', ['用户名 不能为空。']),
          fieldError('password', ['密码 不能为空。']),
        ]);
      });

      it.each([
        ['a number', 12345],
        ['an array', ['alice']],
        ['an object', { first: 'alice' }],
        ['a boolean', true],
      ])('422 for attributes of the wrong type (%s), each in its own error object', async (_kind, value) => {
        const response = await register({ username: value, password: value, register_reason: value, code: value });
        expectErrors(response, 422, [
          fieldError('username', ['用户名 必须是一个字符串。']),
          fieldError('password', ['密码 必须是一个字符串。']),
          fieldError('register_reason', ['注册原因 必须是一个字符串。']),
          fieldError('code', ['邀请码 必须是一个字符串。']),
        ]);
        expect(await userCount()).toBe(0);
      });

      it("ignores unknown attributes, such as the web client's captcha fields, and a client-generated id", async () => {
        const attributes = {
          username: 'alice',
          password: 'Tulip-Garden-42',
          captcha_ticket: 'x',
          captcha_rand_str: 'y',
        };
        const response = await post('/api/register', { data: { type: 'users', id: '99', attributes }, meta: { from: 'test' } });
        expect(response.status).toBe(200);
        expect(response.body.data.id).not.toBe('99');
      });

      it.each([
        ['{"__proto__":{"admin":true},"data":{"attributes":{"username":"alice","password":"Tulip-Garden-42"}}}', '/__proto__'],
        [
          '{"data":{"attributes":{"__proto__":{"username":"evil"},"username":"alice","password":"Tulip-Garden-42"}}}',
          '/data/attributes/__proto__',
        ],
        [
          '{"data":{"attributes":{"constructor":{"prototype":{}},"username":"alice","password":"Tulip-Garden-42"}}}',
          '/data/attributes/constructor',
        ],
      ])('refuses prototype keys with a pointer to them, and nothing is polluted: %s', async (raw, pointer) => {
        const response = await send('post', '/api/register', { raw, headers: { 'Content-Type': MEDIA_TYPE } });
        expectErrors(response, 422, [{ code: 'validation_error', source: { pointer } }]);
        expect(({} as Body).admin).toBeUndefined();
        expect(({} as Body).username).toBeUndefined();
        expect(await userCount()).toBe(0);
      });

      it('refuses huge strings without trouble', async () => {
        expectErrors(await register({ username: 'x'.repeat(200_000), password: 'y'.repeat(200_000) }), 422, [
          fieldError('username', ['用户名 不能大于 15 个字符。']),
          fieldError('password', ['密码 不能大于 50 个字符。']),
        ]);
      });

      it('400 for malformed JSON', async () => {
        const response = await send('post', '/api/register', { raw: '{"data": {"attributes": ', headers: { 'Content-Type': MEDIA_TYPE } });
        expectErrors(response, 400, [{ code: 'bad_request' }]);
      });

      it.each([
        ['application/x-www-form-urlencoded', 'username=alice&password=Tulip-Garden-42'],
        ['text/plain', '{"data":{"attributes":{"username":"alice","password":"Tulip-Garden-42"}}}'],
      ])('400 for a %s body', async (type, raw) => {
        expectErrors(await send('post', '/api/register', { raw, headers: { 'Content-Type': type } }), 400, [{ code: 'bad_request' }]);
        expect(await userCount()).toBe(0);
      });

      it('400 for an empty body', async () => {
        expectErrors(await send('post', '/api/register', { headers: { 'Content-Type': MEDIA_TYPE } }), 400, [{ code: 'bad_request' }]);
      });

      it('413 for a 2 MiB body', async () => {
        const response = await register({ username: 'alice', password: 'Tulip-Garden-42', register_reason: 'x'.repeat(2 * 1024 * 1024) });
        expectErrors(response, 413, [{ code: 'payload_too_large' }]);
        expect(await userCount()).toBe(0);
      });

      it('ignores a stale or foreign Bearer header', async () => {
        const headers = { Authorization: 'Bearer expired.or.forged' };
        expect((await register({ username: 'alice', password: 'Tulip-Garden-42' }, headers)).status).toBe(200);
        expect((await login('alice', 'Tulip-Garden-42', headers)).status).toBe(200);
      });
    });
  });

  describe('POST /api/login', () => {
    const registered = async (username = 'alice', password = 'Tulip-Garden-42') =>
      (await register({ username, password })).body.data.id as string;

    it('answers the token document; the access token opens the user resource', async () => {
      const id = await registered();
      const response = await login('alice', 'Tulip-Garden-42');
      expect(response.status).toBe(200);
      expect(response.body.data).toMatchObject({ type: 'token', id, attributes: { token_type: 'Bearer', expires_in: THIRTY_DAYS } });
      expect((await getUser(id, response.body.data.attributes.access_token)).status).toBe(200);
      expect((await users().findOneByOrFail({ id: Number(id) })).loginsCount).toBe(2);
    });

    it('takes the username in any case or width, and with the white space registration removed', async () => {
      await registered('bob smith');
      for (const username of ['bobsmith', 'BOB SMITH', 'ｂｏｂ　ｓｍｉｔｈ']) {
        expect((await login(username, 'Tulip-Garden-42')).status).toBe(200);
      }
    });

    it('403 login_failed counts down the tries; the fifth failure locks the name for this client for 15 minutes (402)', async () => {
      await registered();
      await registered('bob');
      for (const left of [4, 3, 2, 1]) {
        expectErrors(await login('alice', 'wrong-password'), 403, [
          { code: 'login_failed', detail: [`帐号或密码错误，还可以尝试 ${left} 次。`] },
        ]);
      }
      const locked = await login('alice', 'wrong-password');
      expectErrors(locked, 402, [{ code: 'login_failures_times_toplimit', detail: ['密码错误次数过多，请 15 分钟后再次尝试。'] }]);
      expect(locked.headers['retry-after']).toBe('900');
      expectErrors(await login('ALICE', 'Tulip-Garden-42'), 402, [{ code: 'login_failures_times_toplimit' }]);
      expect((await login('bob', 'Tulip-Garden-42')).status).toBe(200);
      clock.advance(14 * 60);
      expectErrors(await login('alice', 'Tulip-Garden-42'), 402, [
        { code: 'login_failures_times_toplimit', detail: ['密码错误次数过多，请 1 分钟后再次尝试。'] },
      ]);
      clock.advance(60);
      expect((await login('alice', 'Tulip-Garden-42')).status).toBe(200);
    });

    it('says the same for an unknown user, after the same bcrypt comparison', async () => {
      await registered();
      const verify = jest.spyOn(t.app.get(PasswordHasherService), 'verify');
      try {
        const wrong = await login('alice', 'wrong-password');
        const unknown = await login('nobody', 'wrong-password');
        expect(unknown.body).toEqual(wrong.body);
        expect(verify).toHaveBeenCalledTimes(2);
      } finally {
        verify.mockRestore();
      }
    });

    it('in English with Accept-Language: en', async () => {
      expectErrors(await login('nobody', 'x', { 'Accept-Language': 'en' }), 403, [
        { code: 'login_failed', detail: ['Wrong username or password; 4 tries left.'] },
      ]);
    });

    it('401 validate_reject for a rejected user, register_validate for one pending', async () => {
      const id = Number(await registered());
      await t.app.get(UsersService).setStatus(id, { status: UserStatus.Rejected, source: 'test' });
      expectErrors(await login('alice', 'Tulip-Garden-42'), 401, [{ code: 'validate_reject', detail: ['您的注册申请未通过，无法登录。'] }]);
      await t.app.get(UsersService).setStatus(id, { status: UserStatus.PendingReview, source: 'test' });
      expectErrors(await login('alice', 'Tulip-Garden-42'), 401, [{ code: 'register_validate' }]);
    });

    it('422 for missing or ill-typed credentials', async () => {
      expectErrors(await post('/api/login', { data: { attributes: {} } }), 422, [
        fieldError('username', ['用户名 不能为空。']),
        fieldError('password', ['密码 不能为空。']),
      ]);
      expectErrors(await login(' ', ['x'] as never), 422, [
        fieldError('username', ['用户名 不能为空。']),
        fieldError('password', ['密码 必须是一个字符串。']),
      ]);
      expectErrors(await post('/api/login', []), 400, [{ code: 'bad_request' }]);
    });
  });

  describe('POST /api/refresh-token', () => {
    const tokens = async () => (await register({ username: 'alice', password: 'Tulip-Garden-42' })).body.data;

    it('rotates: a new token document, and the spent refresh token stops working after the retry window', async () => {
      const first = await tokens();
      const rotated = await refresh(first.attributes.refresh_token);
      expect(rotated.status).toBe(200);
      expect(rotated.body.data).toMatchObject({
        type: 'token',
        id: first.id,
        attributes: { token_type: 'Bearer', expires_in: THIRTY_DAYS },
      });
      expect(rotated.body.data.attributes.refresh_token).not.toBe(first.attributes.refresh_token);
      expect(claimsOf(rotated.body.data.attributes.access_token).sub).toBe(first.id);
      clock.advance(t.config.tokens.refreshReuseSeconds + 1);
      expectErrors(await refresh(first.attributes.refresh_token), 401, [
        fieldError('refresh_token', ['刷新令牌无效、已过期或已被使用。'], 'invalid_refresh_token'),
      ]);
    });

    it('answers a retry within the window, and concurrent refreshes, with the same refresh token and new access tokens', async () => {
      const first = await tokens();
      const answers = await Promise.all(Array.from({ length: 5 }, () => refresh(first.attributes.refresh_token)));
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
      const documents = answers.map((answer) => answer.body.data.attributes);
      expect(new Set(documents.map((document) => document.refresh_token)).size).toBe(1);
      expect(new Set(documents.map((document) => document.access_token)).size).toBe(5);
      for (const { access_token: accessToken } of documents) {
        expect((await getUser(first.id, accessToken)).status).toBe(200);
      }
      clock.advance(t.config.tokens.refreshReuseSeconds);
      const retried = await refresh(first.attributes.refresh_token);
      expect(retried.body.data.attributes.refresh_token).toBe(documents[0].refresh_token);
    });

    it('revokes every token descended from a reused one, so neither holder can go on', async () => {
      const first = await tokens();
      const legitimate = (await refresh(first.attributes.refresh_token)).body.data.attributes.refresh_token;
      clock.advance(t.config.tokens.refreshReuseSeconds + 1);
      expectErrors(await refresh(first.attributes.refresh_token), 401, [{ code: 'invalid_refresh_token' }]);
      expectErrors(await refresh(legitimate), 401, [{ code: 'invalid_refresh_token' }]);
      const other = await login('alice', 'Tulip-Garden-42');
      expect((await refresh(other.body.data.attributes.refresh_token)).status).toBe(200);
    });

    it('refuses a refresh token after 30 days, and the access token too', async () => {
      const first = await tokens();
      clock.advance(THIRTY_DAYS);
      expectErrors(await refresh(first.attributes.refresh_token), 401, [{ code: 'invalid_refresh_token' }]);
      expectErrors(await getUser(first.id, first.attributes.access_token), 401, [{ code: 'access_denied' }]);
    });

    it('refuses a user rejected since the login', async () => {
      const first = await tokens();
      await t.app.get(UsersService).setStatus(Number(first.id), { status: UserStatus.Rejected, source: 'test' });
      expectErrors(await refresh(first.attributes.refresh_token), 401, [{ code: 'validate_reject' }]);
    });

    it.each([
      [undefined, 422, 'validation_error'],
      ['', 422, 'validation_error'],
      [42, 422, 'validation_error'],
      ['not-a-token', 401, 'invalid_refresh_token'],
      ['x'.repeat(10_000), 401, 'invalid_refresh_token'],
    ])('refuses %#', async (value, status, code) => {
      expectErrors(await refresh(value), status, [{ code, source: { pointer: '/data/attributes/refresh_token' } }]);
    });
  });

  describe('GET /api/forum', () => {
    it('answers set_site, set_reg, passport and qcloud; register_close is true while registration is open', async () => {
      const response = await send('get', '/api/forum?include=users&filter[tag]=agreement');
      expect(response.status).toBe(200);
      expect(response.body.data).toMatchObject({
        type: 'forums',
        id: '1',
        attributes: {
          set_site: {
            site_name: 'unireg',
            site_mode: 'public',
            site_close: false,
            site_url: 'http://localhost:3000',
          },
          set_reg: {
            register_close: true,
            register_validate: false,
            register_captcha: false,
            password_length: 6,
            password_strength: [],
            register_type: 0,
          },
          passport: { offiaccount_close: false, miniprogram_close: false, oplatform_close: false },
          qcloud: { qcloud_sms: false, qcloud_captcha: false },
        },
      });
      expect(response.body.data.attributes.user).toBeUndefined();
    });

    it('takes site_url from PUBLIC_URL, never from the Host header', async () => {
      const { body } = await t.http().get('/api/forum').set('Host', 'evil.example').set('X-Forwarded-Host', 'evil.example');
      expect(body.data.attributes.set_site.site_url).toBe(t.config.server.publicUrl);
    });

    it.each([
      ['review', { register_close: true, register_validate: true }],
      ['closed', { register_close: false, register_validate: false }],
    ] as const)('follows the register mode: %s', async (registerMode, expected) => {
      await site().update({ registerMode, passwordLength: 8, passwordStrength: ['lowercase', 'uppercase'], name: '测试站' });
      const { body } = await send('get', '/api/forum');
      expect(body.data.attributes.set_reg).toMatchObject({ ...expected, password_length: 8, password_strength: ['1', '3'] });
      expect(body.data.attributes.set_site.site_name).toBe('测试站');
    });

    it('tells a logged-in viewer their groups, and ignores a bad token', async () => {
      const { data } = (await register({ username: 'alice', password: 'Tulip-Garden-42' })).body;
      const mine = await send('get', '/api/forum', { headers: { Authorization: `Bearer ${data.attributes.access_token}` } });
      expect(mine.body.data.attributes.user).toEqual({
        groups: [expect.objectContaining({ id: 10, name: '普通会员' })],
        register_time: expect.any(String),
      });
      const stale = await send('get', '/api/forum', { headers: { Authorization: 'Bearer stale' } });
      expect(stale.status).toBe(200);
      expect(stale.body.data.attributes.user).toBeUndefined();
    });
  });

  describe('GET /api/users/{id}', () => {
    it('answers the user resource with groups to the holder of a token', async () => {
      const { data } = (await register({ username: 'alice', password: 'Tulip-Garden-42', register_reason: '你好' })).body;
      const response = await getUser(data.id, data.attributes.access_token, '?include=groups');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        data: {
          type: 'users',
          id: data.id,
          attributes: expect.objectContaining({
            id: Number(data.id),
            username: 'alice',
            avatarUrl: '',
            createdAt: expect.any(String),
            canEdit: true,
            registerReason: '你好',
          }),
          relationships: { groups: { data: [{ type: 'groups', id: '10' }] } },
        },
        included: [{ type: 'groups', id: '10', attributes: expect.objectContaining({ name: '普通会员' }) }],
      });
    });

    it('keeps updatedAt at the registration through later logins, never earlier than createdAt', async () => {
      const { data } = (await register({ username: 'alice', password: 'Tulip-Garden-42' })).body;
      const registered = (await getUser(data.id, data.attributes.access_token)).body.data.attributes;
      expect(registered.updatedAt).toBe(registered.createdAt);
      clock.advance(3600);
      expect((await login('alice', 'Tulip-Garden-42')).status).toBe(200);
      expect((await login('alice', 'Tulip-Garden-42')).status).toBe(200);
      const later = (await getUser(data.id, data.attributes.access_token)).body.data.attributes;
      expect({ createdAt: later.createdAt, updatedAt: later.updatedAt }).toEqual({
        createdAt: registered.createdAt,
        updatedAt: registered.createdAt,
      });
    });

    it('shows other members without their private attributes, and accepts include paths it does not serve', async () => {
      const alice = (await register({ username: 'alice', password: 'Tulip-Garden-42' })).body.data;
      const bob = (await register({ username: 'bob', password: 'Tulip-Garden-42' })).body.data;
      const response = await getUser(bob.id, alice.attributes.access_token, '?include=groups,dialog');
      expect(response.status).toBe(200);
      expect(response.body.data.attributes).toMatchObject({ username: 'bob', canEdit: false });
      expect(response.body.data.attributes.registerReason).toBeUndefined();
      expect((await getUser(bob.id, alice.attributes.access_token)).body.included).toBeUndefined();
    });

    it('401 access_denied for a missing, malformed, forged or foreign token', async () => {
      const { data } = (await register({ username: 'alice', password: 'Tulip-Garden-42' })).body;
      const forged = sign({ sub: data.id, aud: 'site:site', iss: 'unireg' }, 'another-secret-that-is-long-enough');
      const foreign = sign({ sub: data.id, aud: 'userpool:demo', iss: 'unireg' }, t.config.security.jwtSecret);
      const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: data.id, aud: 'site:site' })).toString('base64url')}.`;
      for (const token of [undefined, '', 'garbage', forged, foreign, none]) {
        expectErrors(await getUser(data.id, token), 401, [{ code: 'access_denied', detail: ['拒绝访问。'] }]);
      }
      const basic = await send('get', `/api/users/${data.id}`, { headers: { Authorization: `Basic ${data.attributes.access_token}` } });
      expectErrors(basic, 401, [{ code: 'access_denied' }]);
    });

    it('401 once the user is rejected, although the token has not expired', async () => {
      const { data } = (await register({ username: 'alice', password: 'Tulip-Garden-42' })).body;
      await t.app.get(UsersService).setStatus(Number(data.id), { status: UserStatus.Rejected, source: 'test' });
      expectErrors(await getUser(data.id, data.attributes.access_token), 401, [{ code: 'access_denied' }]);
    });

    it('404 model_not_found for unknown ids and for members waiting for review', async () => {
      const { data } = (await register({ username: 'alice', password: 'Tulip-Garden-42' })).body;
      await site().update({ registerMode: 'review' });
      await register({ username: 'bob', password: 'Tulip-Garden-42', register_reason: 'hi' });
      const bob = await users().findOneByOrFail({ username: 'bob' });
      for (const id of ['999999', 'abc', '1e3', '-1', String(bob.id), '9'.repeat(40)]) {
        expectErrors(await getUser(id, data.attributes.access_token), 404, [{ code: 'model_not_found' }]);
      }
    });

    it('does not show users of another tenant', async () => {
      const { data } = (await register({ username: 'alice', password: 'Tulip-Garden-42' })).body;
      const pool = await t.app.get(TenantsService).create({ kind: USERPOOL_TENANT_KIND, code: 'demo', name: 'demo', settings: {} });
      const other = await t.app
        .get(UsersService)
        .register({ tenant: pool, username: 'carol', password: 'Tulip-Garden-42', registerSource: 'test' });
      expectErrors(await getUser(String(other.id), data.attributes.access_token), 404, [{ code: 'model_not_found' }]);
    });
  });

  describe('routes', () => {
    it.each([
      ['get', '/api/nope'],
      ['post', '/api/threads'],
      ['get', '/api/users'],
    ] as const)('404 route_not_found as a JSON:API document for %s %s', async (method, path) => {
      expectErrors(await send(method, path), 404, [{ code: 'route_not_found' }]);
    });

    it.each([
      ['get', '/api/register', 'POST'],
      ['put', '/api/login', 'POST'],
      ['delete', '/api/refresh-token', 'POST'],
      ['post', '/api/forum', 'GET, HEAD'],
      ['delete', '/api/users/1', 'GET, HEAD, PATCH, POST'],
    ] as const)('405 method_not_allowed with Allow for %s %s', async (method, path, allow) => {
      const response = await send(method, path);
      expectErrors(response, 405, [{ code: 'method_not_allowed' }]);
      expect(response.headers.allow).toBe(allow);
    });

    it("leaves userpool's /api/v1/ to userpool", async () => {
      const response = await t.http().post('/api/v1/register/phone').send({});
      expect(response.body).toEqual({ code: 2000, success: false, msg: expect.any(String), data: {} });
    });

    it('documents every route with request and response schemas at /docs', async () => {
      const { body } = await t.http().get('/docs/openapi.json').expect(200);
      for (const [path, method] of [
        ['/api/register', 'post'],
        ['/api/login', 'post'],
        ['/api/refresh-token', 'post'],
      ]) {
        const operation = body.paths[path][method];
        expect(operation.requestBody.content[MEDIA_TYPE].schema.$ref).toMatch(/RequestDto$/);
        expect(operation.responses['200'].content[MEDIA_TYPE].schema.$ref).toBe('#/components/schemas/TokenDocumentDto');
        expect(operation.responses['422'].content[MEDIA_TYPE].schema.$ref).toBe('#/components/schemas/ErrorDocumentDto');
      }
      expect(body.paths['/api/forum'].get.responses['200'].content[MEDIA_TYPE].schema.$ref).toBe('#/components/schemas/ForumDocumentDto');
      expect(body.paths['/api/users/{id}'].get.responses['200'].content[MEDIA_TYPE].schema.$ref).toBe(
        '#/components/schemas/UserDocumentDto',
      );
      expect(body.paths['/api/users/{id}'].get.responses['401'].content[MEDIA_TYPE].schema.$ref).toBe(
        '#/components/schemas/ErrorDocumentDto',
      );
    });
  });
});

describe('jsonapi-users dialect: rate limit', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT_PER_MINUTE: '2' });
  });
  afterAll(() => t.close());

  it('429 too_many_requests once a client exceeds RATE_LIMIT_PER_MINUTE', async () => {
    const attempt = () =>
      t
        .http()
        .post('/api/login')
        .set('Content-Type', MEDIA_TYPE)
        .send(JSON.stringify(document({ username: 'x', password: 'y' })));
    expect((await attempt()).status).toBe(403);
    expect((await attempt()).status).toBe(403);
    const limited = await attempt();
    expectJsonApi(limited);
    expect(limited.status).toBe(429);
    expect(limited.body.errors[0]).toMatchObject({ status: '429', code: 'too_many_requests' });
  });
});

/** As in database-outage.e2e-spec.ts: on MySQL a TCP relay is cut; SQLite has no server, so its connection is closed. */
describe('jsonapi-users dialect: database outage', () => {
  let t: TestApp;
  let proxy: TcpProxy | undefined;
  let dbUrl: string;

  beforeAll(async () => {
    dbUrl = await freshDatabaseUrl();
    let appDbUrl = dbUrl;
    if (isMysql) {
      const url = new URL(dbUrl);
      proxy = new TcpProxy(url.hostname, Number(url.port || 3306));
      url.host = `127.0.0.1:${await proxy.start()}`;
      appDbUrl = url.toString();
    }
    t = await createTestApp({ DB_URL: appDbUrl });
  });
  afterAll(async () => {
    await proxy?.start();
    await t.close();
    await proxy?.stop();
    await dropDatabase(dbUrl);
  });

  it('503 service_unavailable as a JSON:API document while the database is gone, and recovery without a restart', async () => {
    const register = () =>
      t
        .http()
        .post('/api/register')
        .set('Content-Type', MEDIA_TYPE)
        .send(JSON.stringify(document({ username: 'alice', password: 'Tulip-Garden-42' })));
    await (proxy ? proxy.stop() : t.dataSource.destroy());
    try {
      const during = await register();
      expectJsonApi(during);
      expect(during.status).toBe(503);
      expect(during.body.errors).toEqual([{ status: '503', code: 'service_unavailable', detail: [expect.any(String)] }]);
    } finally {
      await (proxy ? proxy.start() : t.dataSource.initialize());
    }
    const after = await register();
    expectJsonApi(after);
    expect(after.status).toBe(200);
  });
});

/**
 * The service and the CLI share a database here, as they do in production: one SQLite file or one MySQL
 * schema, new for every test, so each starts from a first start.
 */
describe('jsonapi-users dialect: admin CLI and the walk-through of docs/dialects/jsonapi-users.md', () => {
  let env: Record<string, string>;
  let t: TestApp | undefined;

  const cli = async (...args: string[]) => {
    const result = await runCli(env, ...args, '--json');
    if (result.error) {
      throw result.error;
    }
    return parseJsonOutput(result.stdout) as Body;
  };
  const cliError = async (...args: string[]) => (await runCli(env, ...args, '--json')).error?.message;
  const app = async () => (t ??= await createTestApp(env));
  const post = async (path: string, attributes: Body) => {
    const response = await (
      await app()
    )
      .http()
      .post(path)
      .set('Content-Type', 'application/json;charset=utf-8')
      .set('Accept', MEDIA_TYPE)
      .send(document(attributes));
    expectJsonApi(response);
    return response;
  };
  const forum = async () => {
    const response = await (await app()).http().get('/api/forum');
    expectJsonApi(response);
    return response.body.data.attributes;
  };

  beforeEach(async () => {
    const base = testEnvironment();
    env = { ...base, DB_URL: isMysql ? await freshDatabaseUrl() : `sqlite:${join(base.DATA_DIR, 'site.sqlite')}` };
  });
  afterEach(async () => {
    await t?.close();
    t = undefined;
    await dropDatabase(env.DB_URL);
    removeDataDir(env.DATA_DIR);
  });

  it('the site exists from the first start of the CLI: users list --tenant site works on a new database', async () => {
    expect(await cli('users', 'list', '--tenant', 'site')).toEqual({ users: [] });
    expect(await cli('site', 'show')).toEqual({
      ok: true,
      name: 'unireg',
      registerMode: 'open',
      passwordLength: 6,
      passwordStrength: [],
      inviteRequired: false,
      bannedWords: [],
      allowCommonPasswords: false,
      sms: false,
      registerType: 0,
      offiaccount: null,
      miniprogram: null,
    });
  });

  it('the site exists from the first start of the service', async () => {
    await app();
    expect(await cli('users', 'list', '--tenant', 'site:site')).toEqual({ users: [] });
  });

  it('site set changes what GET /api/forum says at once', async () => {
    expect((await forum()).set_reg).toMatchObject({ register_close: true, register_validate: false });
    const set = await cli(
      'site',
      'set',
      '--register-mode',
      'review',
      '--password-length',
      '8',
      '--password-strength',
      'uppercase,digits',
      '--invite-required',
      'false',
      '--name',
      'My Forum',
    );
    expect(set).toMatchObject({
      ok: true,
      registerMode: 'review',
      passwordLength: 8,
      passwordStrength: ['digits', 'uppercase'],
      name: 'My Forum',
    });
    expect(await forum()).toMatchObject({
      set_site: { site_name: 'My Forum' },
      set_reg: { register_close: true, register_validate: true, password_length: 8, password_strength: ['0', '3'] },
    });
    await cli('site', 'set', '--register-mode', 'closed');
    expect((await forum()).set_reg).toMatchObject({ register_close: false, register_validate: false });
    expect((await post('/api/register', { username: 'alice', password: 'Tulip-Garden-42' })).body.errors[0].code).toBe('register_close');
    expect(await cli('site', 'set', '--password-strength', 'none')).toMatchObject({
      passwordStrength: [],
      registerMode: 'closed',
      name: 'My Forum',
    });
  });

  it('site set --common-passwords allows and refuses the common list at once', async () => {
    const common = (username: string) => post('/api/register', { username, password: 'password' });
    const refused = await common('alice');
    expect([refused.status, refused.body.errors[0].source, refused.body.errors[0].detail]).toEqual([
      422,
      { pointer: '/data/attributes/password' },
      ['密码过于常见，请换一个。'],
    ]);
    expect(await cli('site', 'set', '--common-passwords', 'allowed')).toMatchObject({ ok: true, allowCommonPasswords: true });
    expect((await common('bob')).status).toBe(200);
    expect(await cli('site', 'set', '--common-passwords', 'refused')).toMatchObject({ allowCommonPasswords: false });
    expect((await common('carol')).status).toBe(422);
  });

  it.each([
    [['site', 'set', '--common-passwords', 'yes'], /--common-passwords must be allowed or refused/],
    [['site', 'set', '--register-mode', 'maybe'], /--register-mode must be one of open, review, closed/],
    [['site', 'set', '--password-length', '51'], /--password-length must be a whole number from 0 to 50/],
    [['site', 'set', '--password-strength', 'digits,emoji'], /unknown rule "emoji"/],
    [['site', 'set', '--invite-required', 'yes'], /--invite-required must be true or false/],
    [['site', 'set', '--name', ' '], /site name must be 1 to 128 characters/],
    [['invite', 'create', '--count', '0'], /--count must be a whole number from 1 to 1000/],
    [['invite', 'create', '--expires-days', 'soon'], /--expires-days must be a whole number/],
    [['banned-words', 'add', '  '], /a banned word must be 1 to 64 characters/],
    [['users', 'reject', 'abc'], /no user with id abc/],
    [['users', 'reject', '999999'], /no user with id 999999/],
  ])('refuses %j with a reason', async (args, reason) => {
    expect(await cliError(...args)).toMatch(reason);
  });

  it('the walk-through: review, register, 401, approve, log in, load the user, refresh, and retry the refresh', async () => {
    await cli('site', 'set', '--register-mode', 'review');
    const registered = await post('/api/register', { username: 'walker', password: 'Tulip-Garden-42', register_reason: '我想加入' });
    expect(registered.status).toBe(401);
    expect(registered.body.errors[0].code).toBe('register_validate');
    const [pending] = (await cli('users', 'list', '--tenant', 'site')).users;
    expect(pending).toMatchObject({ username: 'walker', status: 'pending_review', tenant: 'site', tenantKind: 'site' });

    expect((await post('/api/login', { username: 'walker', password: 'Tulip-Garden-42' })).body.errors[0].code).toBe('register_validate');
    expect(await cli('users', 'approve', pending.id)).toEqual({ ok: true, id: pending.id, status: 'active' });
    const loggedIn = await post('/api/login', { username: 'walker', password: 'Tulip-Garden-42' });
    expect(loggedIn.status).toBe(200);
    const { access_token: accessToken, refresh_token: refreshToken } = loggedIn.body.data.attributes;

    const user = await (await app()).http().get(`/api/users/${pending.id}?include=groups`).set('Authorization', `Bearer ${accessToken}`);
    expectJsonApi(user);
    expect(user.body.data.attributes).toMatchObject({ username: 'walker', registerReason: '我想加入' });

    const rotated = await post('/api/refresh-token', { refresh_token: refreshToken });
    expect(rotated.status).toBe(200);
    // Within REFRESH_REUSE_SECONDS the same refresh token is a retry; test/e2e/token-revocation.e2e-spec.ts covers the reuse after it.
    const retried = await post('/api/refresh-token', { refresh_token: refreshToken });
    expect(retried.status).toBe(200);
    expect(retried.body.data.attributes.refresh_token).toBe(rotated.body.data.attributes.refresh_token);

    expect(await cliError('users', 'reject', pending.id)).toBe(`user ${pending.id} is active, not waiting for review: nothing changed`);
    expect((await post('/api/login', { username: 'walker', password: 'Tulip-Garden-42' })).status).toBe(200);
  });

  it('invite create and list; a code works once over HTTP', async () => {
    await cli('site', 'set', '--invite-required', 'true');
    const { codes } = await cli('invite', 'create', '--count', '3', '--expires-days', '7');
    expect(codes).toHaveLength(3);
    for (const code of codes) {
      expect(code).toMatch(/^[A-HJ-NP-Z2-9]{10}$/);
    }
    expect((await post('/api/register', { username: 'invitee', password: 'Tulip-Garden-42' })).body.errors[0].source.pointer).toBe(
      '/data/attributes/code',
    );
    expect((await post('/api/register', { username: 'invitee', password: 'Tulip-Garden-42', code: codes[0] })).status).toBe(200);
    expect((await post('/api/register', { username: 'second', password: 'Tulip-Garden-42', code: codes[0] })).status).toBe(422);
    const { invites } = await cli('invite', 'list');
    expect(invites).toHaveLength(3);
    const unused = { state: 'unused', usedAt: null, usedBy: null, expiresAt: expect.any(String) };
    expect(Object.fromEntries(invites.map(({ code, ...invite }: { code: string }) => [code, invite]))).toEqual({
      [codes[0]]: expect.objectContaining({
        state: 'used',
        usedBy: expect.any(String),
        usedAt: expect.any(String),
        expiresAt: expect.any(String),
      }),
      [codes[1]]: expect.objectContaining(unused),
      [codes[2]]: expect.objectContaining(unused),
    });
    expect(await cli('invite', 'create')).toEqual({ codes: [expect.any(String)] });
  });

  it('banned-words add, list and remove; the list applies at once', async () => {
    expect(await cli('banned-words', 'add', 'spam', 'Bad Word', 'SPAM')).toEqual({ ok: true, bannedWords: ['spam', 'BadWord'] });
    expect(await cli('banned-words', 'list')).toEqual({ ok: true, bannedWords: ['spam', 'BadWord'] });
    const refused = await post('/api/register', { username: 'spammer', password: 'Tulip-Garden-42' });
    expect(refused.body.errors[0]).toMatchObject({ code: 'content_banned', source: { pointer: '/data/attributes/username' } });
    expect(await cli('banned-words', 'remove', 'SPAM', 'other')).toEqual({ ok: true, removed: ['spam'], bannedWords: ['BadWord'] });
    expect((await post('/api/register', { username: 'spammer', password: 'Tulip-Garden-42' })).status).toBe(200);
  });

  it('seed demo opens the site and is idempotent', async () => {
    await cli('site', 'set', '--register-mode', 'closed');
    const first = await cli('seed', 'demo');
    expect(first).toMatchObject({ ok: true, siteRegisterMode: 'open' });
    expect(await cli('seed', 'demo')).toEqual(first);
    expect((await cli('site', 'show')).registerMode).toBe('open');
  });
});
