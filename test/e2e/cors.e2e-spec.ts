import { createTestApp, TestApp } from '../utils/create-test-app';

describe('CORS', () => {
  describe('with CORS_ORIGINS unset', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp();
    });
    afterAll(() => t.close());

    it('sends no CORS headers', async () => {
      const response = await t.http().post('/api/register').set('Origin', 'https://app.example.com').send({ data: {} });
      expect(Object.keys(response.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    });
  });

  describe('with CORS_ORIGINS set', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ CORS_ORIGINS: 'https://app.example.com, http://localhost:8080' });
    });
    afterAll(() => t.close());

    it.each(['https://app.example.com', 'http://localhost:8080'])('answers a preflight from %s', async (origin) => {
      const response = await t
        .http()
        .options('/api/register')
        .set('Origin', origin)
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'content-type,authorization');
      expect(response.status).toBe(204);
      expect(response.headers['access-control-allow-origin']).toBe(origin);
      expect(response.headers['access-control-allow-methods']).toContain('POST');
      expect(response.headers['access-control-allow-headers']).toBe('content-type,authorization');
    });

    it('lets the browser read the answer and its request id, also for an error', async () => {
      const response = await t.http().post('/api/v1/register/email').set('Origin', 'https://app.example.com').send({});
      expect(response.status).toBe(400);
      expect(response.headers['access-control-allow-origin']).toBe('https://app.example.com');
      expect(response.headers['access-control-expose-headers']).toContain('X-Request-Id');
      expect(response.headers['access-control-expose-headers']).toContain('Date');
    });

    it('says that every answer depends on Origin, so that a shared cache never serves one origin what another got', async () => {
      const allowed = await t.http().get('/api/forum').set('Origin', 'https://app.example.com');
      const refused = await t.http().get('/api/forum').set('Origin', 'https://evil.example');
      const none = await t.http().get('/api/forum');
      const error = await t.http().post('/api/v1/register/email').set('Origin', 'https://app.example.com').send({});
      const preflight = await t
        .http()
        .options('/api/register')
        .set('Origin', 'https://app.example.com')
        .set('Access-Control-Request-Method', 'POST');
      for (const response of [allowed, refused, none, error, preflight]) {
        expect(response.headers.vary?.split(/\s*,\s*/)).toContain('Origin');
      }
    });

    it('gives another origin no permission', async () => {
      const preflight = await t
        .http()
        .options('/api/register')
        .set('Origin', 'https://evil.example')
        .set('Access-Control-Request-Method', 'POST');
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
      const request = await t.http().post('/api/register').set('Origin', 'https://evil.example').send({ data: {} });
      expect(request.headers['access-control-allow-origin']).toBeUndefined();
    });
  });
});
