import { gzipSync } from 'node:zlib';
import { DIALECTS } from '../../src/dialects';
import { guestbookDialect } from '../fixtures/guestbook/guestbook.dialect';
import { createTestApp, TestApp } from '../utils/create-test-app';

const BYTEPOWER_ACCEPT = 'application/vnd.bytepower.v1+json';

/** One route of each envelope, and a path no dialect owns. */
const ENVELOPES = {
  userpool: '/api/v1/register/email',
  enduser: '/v2/enduser/enduserapi/emailPwdRegister',
  bytepower: '/bp/server/user/signup',
  'jsonapi-users': '/api/register',
  guestbook: '/guestbook/signup',
  generic: '/healthz',
} as const;

/**
 * Failures of the transport rather than of a field, answered before routing in the envelope of the
 * dialect that owns the path: a body in a content coding the parsers cannot decode, and a path that is
 * not valid percent-encoding.
 */
describe('transport errors in every envelope', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({}, undefined, [...DIALECTS, guestbookDialect]);
  });
  afterAll(() => t.close());

  describe('a body in an unsupported Content-Encoding', () => {
    const post = (path: string, encoding: string) =>
      t
        .http()
        .post(path)
        .set('Accept', BYTEPOWER_ACCEPT)
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', encoding)
        .send('{"email":"a@example.com"}');

    it.each([
      [
        'userpool',
        { code: 2000, success: false, msg: 'Unsupported Content-Encoding "xz": send the body as identity, gzip, deflate or br', data: {} },
      ],
      ['enduser', { code: 415, msg: 'Unsupported Content-Encoding "xz"', data: null, extMsg: '' }],
      ['bytepower', { error: { error_type: 'invalid_parameter', message: 'content-encoding "xz" is not supported.' } }],
      [
        'jsonapi-users',
        { errors: [{ status: '415', code: 'unsupported_media_type', detail: ['不支持的请求体编码（Content-Encoding）"xz"。'] }] },
      ],
      ['guestbook', { ok: false, error: { code: 'encoding_unsupported', field: null } }],
      ['generic', { statusCode: 415, error: 'CONTENT_ENCODING_UNSUPPORTED' }],
    ] as const)('is 415 naming the encoding in the %s envelope', async (envelope, body) => {
      const response = await post(ENVELOPES[envelope], 'xz');
      expect({ status: response.status, body: response.body }).toEqual({ status: 415, body });
    });

    it('quotes at most 32 characters of the header', async () => {
      const response = await post(ENVELOPES.bytepower, `x${'z'.repeat(99)}`);
      expect(response.status).toBe(415);
      expect(response.body.error.message).toBe(`content-encoding "x${'z'.repeat(31)}…" is not supported.`);
    });

    it('still reads a body in a supported encoding', async () => {
      const response = await t
        .http()
        .post(ENVELOPES.userpool)
        .set('x-userpool-id', 'no-such-pool')
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', 'gzip')
        // As is: superagent would serialize a Buffer as JSON.
        .serialize((body: Buffer) => body as unknown as string)
        .send(gzipSync(JSON.stringify({ email: 'a@example.com', password: 'secret123' })));
      expect({ status: response.status, code: response.body.code }).toEqual({ status: 404, code: 2224 });
    });
  });

  describe('a path that is not valid percent-encoding', () => {
    it.each([
      [
        '/api/users/%E0%A4%A',
        'jsonapi-users',
        { errors: [{ status: '400', code: 'bad_request', detail: ['Malformed request path: invalid percent-encoding.'] }] },
      ],
      [
        '/bp/server/user/%ZZ',
        'bytepower',
        { error: { error_type: 'invalid_parameter', message: 'the path is not valid percent-encoded UTF-8.' } },
      ],
      [
        '/api/v1/register/%ZZ',
        'userpool',
        { code: 2000, success: false, msg: 'Malformed request path: it is not valid percent-encoded UTF-8', data: {} },
      ],
      ['/v2/enduser/enduserapi/%C0%AF', 'enduser', { code: 400, msg: 'Malformed request path', data: null, extMsg: '' }],
      ['/guestbook/%', 'guestbook', { ok: false, error: { code: 'malformed', field: null } }],
      ['/%ZZ', 'generic', { statusCode: 400, error: 'MALFORMED_REQUEST' }],
    ])('GET %s is 400 about the path in the %s envelope, and the service keeps serving', async (path, _envelope, body) => {
      const response = await t.http().get(path).set('Accept', BYTEPOWER_ACCEPT).set('Accept-Language', 'en');

      expect({ status: response.status, body: response.body }).toEqual({ status: 400, body });
      await t.http().get('/healthz').expect(200);
    });

    it('is counted under no route, whatever the path', async () => {
      await t.http().get('/api/users/%E0%A4%A').expect(400);
      const metrics = await t.http().get('/metrics').expect(200);
      expect(metrics.text).toMatch(/^unireg_http_requests_total\{dialect="jsonapi-users",route="unmatched",status="400"\} [1-9]/m);
      expect(metrics.text).not.toContain('%E0%A4%A');
    });
  });
});
