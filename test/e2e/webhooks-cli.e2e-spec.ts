import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Webhook } from 'standardwebhooks';
import { WebhookDeliveriesService } from '../../src/webhooks/webhook-deliveries.service';
import { createTestApp, removeDataDir, TestApp, testEnvironment } from '../utils/create-test-app';
import { parseJsonOutput, runCli } from '../utils/run-cli';
import { dropDatabase, freshDatabaseUrl, isMysql } from '../utils/test-database';
import { tickAndSettle, WebhookReceiver } from '../utils/webhook-receiver';

const run = promisify(execFile);
const SECRET = /^whsec_[A-Za-z0-9+/]{43}=$/;

describe('webhooks CLI', () => {
  let env: Record<string, string>;
  let receiver: WebhookReceiver;

  // An empty database and data folder per test; loopback receivers need WEBHOOK_ALLOW_PRIVATE.
  beforeEach(async () => {
    const url = await freshDatabaseUrl();
    const base = testEnvironment({ WEBHOOK_ALLOW_PRIVATE: 'true', REDIS_URL: '' });
    env = { ...base, DB_URL: isMysql ? url : `sqlite:${join(base.DATA_DIR, 'cli.sqlite')}` };
    receiver = new WebhookReceiver();
    await receiver.start();
  });
  afterEach(async () => {
    await receiver.stop();
    await dropDatabase(env.DB_URL);
    removeDataDir(env.DATA_DIR);
  });

  const cli = (...args: string[]) => runCli(env, ...args);
  const json = async (...args: string[]) => {
    const result = await cli(...args, '--json');
    expect(result.error).toBeUndefined();
    return parseJsonOutput(result.stdout) as any;
  };
  const failure = async (...args: string[]) => (await cli(...args)).error?.message;

  /** The service on the CLI's database (its worker idle), for as long as `work` runs. */
  const withApp = async (work: (t: TestApp) => Promise<void>) => {
    const t = await createTestApp({ DB_URL: env.DB_URL, WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_POLL_MS: '60000', REDIS_URL: '' });
    try {
      await work(t);
    } finally {
      await t.close();
    }
  };
  const register = (t: TestApp, email: string) =>
    t.http().post('/api/v1/register/email').set('x-userpool-id', 'demo').send({ email, password: 'Tulip-Garden-42' }).expect(200);

  beforeEach(async () => {
    await json('userpool', 'create', '--name', 'demo', '--id', 'demo');
  });

  it('adds an endpoint and prints its secret once; list shows it without the secret', async () => {
    const added = await json('webhooks', 'add', '--tenant', 'demo', '--url', receiver.url, '--events', 'user.created,user.login');
    expect(added).toEqual({ id: expect.stringMatching(/^\d+$/), secret: expect.stringMatching(SECRET) });
    const human = await cli('webhooks', 'add', '--tenant', 'userpool:demo', '--url', receiver.url);
    expect(human.stdout).toMatch(/^Webhook endpoint \d+ added for userpool:demo\.\nSecret \(shown only now\): whsec_/);

    const listed = await json('webhooks', 'list', '--tenant', 'demo');
    expect(listed.endpoints).toEqual([
      expect.objectContaining({
        id: added.id,
        tenant: 'userpool:demo',
        url: receiver.url,
        events: ['user.created', 'user.login'],
        enabled: true,
      }),
      expect.objectContaining({ events: null, enabled: true, failingSince: null }),
    ]);
    expect(JSON.stringify(listed)).not.toContain('whsec_');
  });

  it.each([
    [['--tenant', 'nope', '--url', 'https://example.com/hook'], 'no tenant named nope'],
    [['--tenant', 'demo', '--url', 'example.com/hook'], '"example.com/hook" is not a valid URL'],
    [['--tenant', 'demo', '--url', 'ftp://example.com/hook'], 'the URL must be http:// or https://, not ftp:'],
    [['--tenant', 'demo', '--url', 'https://u:p@example.com/hook'], expect.stringMatching(/must not carry credentials/)],
    [
      ['--tenant', 'demo', '--url', 'https://example.com/hook', '--events', 'user.made'],
      expect.stringMatching(/^unknown event type "user.made"; the types are user.created, /),
    ],
  ])('add %j fails with one line saying why', async (args, reason) => {
    expect(await failure('webhooks', 'add', ...args)).toEqual(reason);
    expect((await json('webhooks', 'list')).endpoints).toEqual([]);
  });

  it.each([
    ['http://127.0.0.1:8080/hook', '127.0.0.1 is a loopback address; set WEBHOOK_ALLOW_PRIVATE=true to allow it'],
    ['http://10.1.2.3/hook', '10.1.2.3 is a private address; set WEBHOOK_ALLOW_PRIVATE=true to allow it'],
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is a linkLocal address; set WEBHOOK_ALLOW_PRIVATE=true to allow it'],
    ['http://[::1]:8080/hook', '::1 is a loopback address; set WEBHOOK_ALLOW_PRIVATE=true to allow it'],
    ['http://[::ffff:127.0.0.1]/hook', expect.stringMatching(/^::ffff:7f00:1 is a loopback address/)],
    ['http://[::127.0.0.1]/hook', '::7f00:1 is a ipv4Compatible address; set WEBHOOK_ALLOW_PRIVATE=true to allow it'],
    ['http://localhost:8080/hook', expect.stringMatching(/^localhost resolves to (127\.0\.0\.1|::1), which is a loopback address/)],
  ])('add refuses %s without WEBHOOK_ALLOW_PRIVATE', async (url, reason) => {
    env = { ...env, WEBHOOK_ALLOW_PRIVATE: 'false' };
    expect(await failure('webhooks', 'add', '--tenant', 'demo', '--url', url)).toEqual(reason);
  });

  it('rotates a secret, disables and enables an endpoint, and names unknown ids', async () => {
    const { id, secret } = await json('webhooks', 'add', '--tenant', 'demo', '--url', receiver.url);
    const rotated = await json('webhooks', 'rotate-secret', id, '--grace-hours', '2');
    expect(rotated).toEqual({ id, secret: expect.stringMatching(SECRET) });
    expect(rotated.secret).not.toBe(secret);
    expect(await json('webhooks', 'disable', id)).toEqual({ ok: true, id });
    expect((await json('webhooks', 'list')).endpoints[0]).toMatchObject({ enabled: false, disabledReason: 'disabled by an operator' });
    expect(await failure('webhooks', 'disable', id)).toBe(`webhook endpoint ${id} is already disabled: nothing changed`);
    expect(await json('webhooks', 'enable', id)).toEqual({ ok: true, id });
    expect(await failure('webhooks', 'enable', id)).toBe(`webhook endpoint ${id} is already enabled: nothing changed`);

    for (const command of ['rotate-secret', 'disable', 'enable']) {
      expect(await failure('webhooks', command, '999')).toBe('no webhook endpoint with id 999');
    }
    expect(await failure('webhooks', 'disable', 'x')).toBe('the endpoint id must be a whole number, e.g. 1');
    expect(await failure('webhooks', 'replay', '999')).toBe('no webhook delivery with id 999');
    expect(await failure('webhooks', 'deliveries', '--endpoint', '999')).toBe('no webhook endpoint with id 999');
    expect(await failure('webhooks', 'deliveries', '--tenant', 'nope')).toBe('no tenant named nope');
    expect(await failure('webhooks', 'rotate-secret', id, '--grace-hours', '-1')).toBe(
      '--grace-hours must be a whole number from 0 to 720',
    );
  });

  it('lists deliveries and replays one with the same webhook-id', async () => {
    const { id: endpoint, secret } = await json('webhooks', 'add', '--tenant', 'demo', '--url', receiver.url);
    receiver.secrets = [secret];
    await withApp(async (t) => {
      receiver.status = 500;
      await register(t, 'alice@example.com');
      await tickAndSettle(t.app.get(WebhookDeliveriesService));
    });
    const [listed] = (await json('webhooks', 'deliveries', '--endpoint', endpoint)).deliveries;
    expect(listed).toEqual({
      id: expect.stringMatching(/^\d+$/),
      endpoint,
      eventType: 'user.created',
      webhookId: receiver.ids[0],
      status: 'pending',
      attempts: 1,
      lastStatus: 500,
      lastError: 'HTTP 500',
      lastAttemptAt: expect.stringMatching(/Z$/),
      nextAttemptAt: expect.stringMatching(/Z$/),
      deliveredAt: null,
    });
    expect((await json('webhooks', 'deliveries', '--tenant', 'demo', '--limit', '5')).deliveries).toHaveLength(1);
    expect((await json('webhooks', 'deliveries', '--failed')).deliveries).toEqual([]);

    expect(await json('webhooks', 'replay', listed.id)).toEqual({ ok: true, id: listed.id });
    receiver.status = 200;
    await withApp((t) => tickAndSettle(t.app.get(WebhookDeliveriesService)));
    expect(receiver.ids).toEqual([listed.webhookId, listed.webhookId]);
    expect((await json('webhooks', 'deliveries')).deliveries[0]).toMatchObject({ status: 'delivered', attempts: 1, lastStatus: 200 });
  });

  it('as a program: a refused URL exits 1 with one line on stderr', async () => {
    const program = { ...env, WEBHOOK_ALLOW_PRIVATE: 'false', PATH: process.env.PATH ?? '' };
    await expect(
      run(
        process.execPath,
        ['-r', 'ts-node/register/transpile-only', 'src/cli.ts', 'webhooks', 'add', '--tenant', 'demo', '--url', 'http://10.0.0.1/x'],
        {
          env: program,
        },
      ),
    ).rejects.toMatchObject({
      code: 1,
      stdout: '',
      stderr: 'unireg: 10.0.0.1 is a private address; set WEBHOOK_ALLOW_PRIVATE=true to allow it\n',
    });
  }, 60_000);

  it('the secret add prints verifies what the service sends', async () => {
    const { secret } = await json('webhooks', 'add', '--tenant', 'demo', '--url', receiver.url);
    receiver.secrets = [secret];
    await withApp(async (t) => {
      await register(t, 'bob@example.com');
      await tickAndSettle(t.app.get(WebhookDeliveriesService));
    });
    expect(receiver.received).toHaveLength(1);
    const [{ body, headers }] = receiver.received;
    expect(() => new Webhook(secret).verify(body, headers as Record<string, string>)).not.toThrow();
  });
});
