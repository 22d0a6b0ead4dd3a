import { Clock } from '../../src/clock/clock';
import { JsonApiUsersErrorCode } from '../../src/dialects/jsonapi-users/jsonapi-users.error-map';
import { DomainErrorCode } from '../../src/error-codes/domain-error-code.enum';
import { DomainError } from '../../src/error-codes/domain-error';
import { AttemptCounterService } from '../../src/rate-limit/attempt-counter.service';
import { RefreshToken } from '../../src/tokens/entities/refresh-token.entity';
import { RefreshTokensService } from '../../src/tokens/refresh-tokens.service';
import { SessionsService } from '../../src/tokens/sessions.service';
import { Invite } from '../../src/dialects/jsonapi-users/invite.entity';
import { ServerKey } from '../../src/dialects/bytepower/server-key.entity';
import { Tenant } from '../../src/users/entities/tenant.entity';
import { User, UserStatus } from '../../src/users/entities/user.entity';
import { CodePurpose, VerificationCode } from '../../src/users/entities/verification-code.entity';
import { InvitesService } from '../../src/dialects/jsonapi-users/invites.service';
import { PasswordHasherService } from '../../src/users/password-hasher.service';
import { RegistrationClaim } from '../../src/users/registration-claim';
import { SecretBoxService } from '../../src/users/secret-box.service';
import { ServerKeysService } from '../../src/dialects/bytepower/server-keys.service';
import { TenantsService } from '../../src/users/tenants.service';
import { TransactionRunnerService } from '../../src/database/transaction-runner.service';
import { NewUser, UsersService } from '../../src/users/users.service';
import { VerificationCodesService } from '../../src/users/verification-codes.service';
import { SessionToken } from '../../src/dialects/jsonapi-users/session-token.entity';
import { SessionTokensService } from '../../src/dialects/jsonapi-users/session-tokens.service';
import { IsNull } from 'typeorm';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { FakeClock } from '../utils/fake-clock';
import { USERPOOL_TENANT_KIND } from '../../src/dialects/userpool/userpool.tenant-kind';
import { JSONAPI_USERS_TENANT_KIND } from '../../src/dialects/jsonapi-users/jsonapi-users.tenant-kind';

const DAY = 24 * 3600;

/** 'ok' or the DomainError code a promise settled with, so races can be counted. */
async function outcome(work: Promise<unknown>): Promise<string> {
  try {
    await work;
    return 'ok';
  } catch (error) {
    if (error instanceof DomainError) {
      return error.code;
    }
    throw error;
  }
}

const count = (outcomes: string[], value: string) => outcomes.filter((o) => o === value).length;

describe('shared core stores (users, invites, codes, tokens, sessions, server keys)', () => {
  const clock = new FakeClock();
  let t: TestApp;
  let tenant: Tenant;
  let other: Tenant;

  const service = <T>(type: new (...args: never[]) => T): T => t.app.get(type, { strict: false });
  const users = () => service(UsersService);
  const invites = () => service(InvitesService);
  const userRows = () => t.dataSource.getRepository(User);
  const inviteRows = () => t.dataSource.getRepository(Invite);

  const newUser = (username: string, claims: RegistrationClaim[] = [], into = tenant): NewUser => ({
    tenant: into,
    username,
    password: 'Tulip-Garden-42',
    registerSource: 'test',
    claims,
  });

  const inviteFor = async (into = tenant, expiresInDays?: number) => (await invites().create(into, 1, expiresInDays))[0];

  /** A code sent to `email` in the tenant, as the mail would carry it. */
  const sentCode = async (email: string) => {
    let code = '';
    await service(VerificationCodesService).send({ tenantId: tenant.id, email, purpose: CodePurpose.Registration }, async (c) => {
      code = c;
    });
    return code;
  };
  const codeClaim = (email: string, code: string) =>
    service(VerificationCodesService).claim({ tenantId: tenant.id, email, purpose: CodePurpose.Registration }, code);

  /** Wraps a claim so that time moves on right after it was checked, i.e. between the checks and the INSERT. */
  const thenAdvance = (claim: RegistrationClaim, seconds: number): RegistrationClaim => ({
    provesEmail: claim.provesEmail,
    check: async () => {
      await claim.check();
      clock.advance(seconds);
    },
    spend: (manager, userId) => claim.spend(manager, userId),
  });

  beforeAll(async () => {
    // In memory even when the suite runs with Redis: lockouts here expire by the fake clock, Redis by its own.
    t = await createTestApp({ REDIS_URL: '' }, (builder) => builder.overrideProvider(Clock).useValue(clock));
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    await t.reset();
    const tenants = service(TenantsService);
    tenant = await tenants.create({ kind: JSONAPI_USERS_TENANT_KIND, code: 'site', name: 'site', settings: {} });
    other = await tenants.create({ kind: USERPOOL_TENANT_KIND, code: 'other', name: 'other', settings: {} });
  });
  afterEach(() => jest.restoreAllMocks());

  describe('UsersService.register with claims', () => {
    it('creates distinct invite codes without look-alike characters, expiring after whole days', async () => {
      const created = await invites().create(tenant, 50, 7);
      expect(new Set(created.map((invite) => invite.code)).size).toBe(50);
      expect(created.filter((invite) => !/^[A-HJ-NP-Z2-9]{10}$/.test(invite.code))).toEqual([]);
      expect(created[0]).toMatchObject({
        tenantId: tenant.id,
        createdAt: clock.now(),
        expiresAt: clock.now() + 7 * DAY * 1000,
        usedAt: null,
      });
      expect((await invites().create(tenant, 1))[0].expiresAt).toBeNull();
    });

    it('spends an invite with the user it creates', async () => {
      const invite = await inviteFor();
      const user = await users().register(newUser('alice', [invites().claim(tenant, invite.code)]));
      expect(await inviteRows().findOneByOrFail({ id: invite.id })).toMatchObject({ usedBy: user.id, usedAt: clock.now() });
      expect(user.emailVerified).toBe(false);
    });

    it.each([
      ['unknown', async () => 'NOSUCHCODE'],
      ['of another tenant', async () => (await inviteFor(other)).code],
      [
        'already used',
        async () => {
          const invite = await inviteFor();
          await users().register(newUser('first', [invites().claim(tenant, invite.code)]));
          return invite.code;
        },
      ],
      [
        'expired',
        async () => {
          const invite = await inviteFor(tenant, 1);
          clock.advance(DAY);
          return invite.code;
        },
      ],
    ])('refuses an invite that is %s with INVITE_CODE_INVALID and creates nothing', async (_case, inviteCode) => {
      const code = await inviteCode();
      const before = await userRows().count();
      await expect(users().register(newUser('bob', [invites().claim(tenant, code, 'invite')]))).rejects.toMatchObject({
        code: JsonApiUsersErrorCode.INVITE_CODE_INVALID,
        details: { field: 'invite' },
      });
      expect(await userRows().count()).toBe(before);
      expect(await userRows().countBy({ usernameNormalized: 'bob' })).toBe(0);
    });

    it('takes an invite until the second it expires', async () => {
      const invite = await inviteFor(tenant, 1);
      clock.advance(DAY - 1);
      await expect(users().register(newUser('carol', [invites().claim(tenant, invite.code)]))).resolves.toMatchObject({
        username: 'carol',
      });
    });

    it('lets one of 20 concurrent registrations with one invite win', async () => {
      const invite = await inviteFor();
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, (_, i) => outcome(users().register(newUser(`racer${i}`, [invites().claim(tenant, invite.code)])))),
      );
      expect(count(outcomes, 'ok')).toBe(1);
      expect(count(outcomes, JsonApiUsersErrorCode.INVITE_CODE_INVALID)).toBe(19);
      expect(await userRows().countBy({ tenantId: tenant.id })).toBe(1);
      const winner = await userRows().findOneByOrFail({ tenantId: tenant.id });
      expect((await inviteRows().findOneByOrFail({ id: invite.id })).usedBy).toBe(winner.id);
    });

    it('leaves the invite unspent when the registration fails as a duplicate', async () => {
      await users().register(newUser('dave'));
      const invite = await inviteFor();
      await expect(users().register(newUser('DAVE', [invites().claim(tenant, invite.code)]))).rejects.toMatchObject({
        code: DomainErrorCode.USERNAME_TAKEN,
      });
      expect(await inviteRows().findOneByOrFail({ id: invite.id })).toMatchObject({ usedAt: null, usedBy: null });
      await expect(users().register(newUser('erin', [invites().claim(tenant, invite.code)]))).resolves.toMatchObject({ username: 'erin' });
    });

    it('leaves the loser’s invite unspent when two registrations of one username race, each with an invite', async () => {
      const [first, second] = await invites().create(tenant, 2);
      const outcomes = await Promise.all(
        [first, second].map((invite) => outcome(users().register(newUser('frank', [invites().claim(tenant, invite.code)])))),
      );
      expect(outcomes.sort()).toEqual([DomainErrorCode.USERNAME_TAKEN, 'ok'].sort());
      const spent = (await invites().list(tenant)).filter((invite) => invite.usedAt !== null);
      expect(spent).toHaveLength(1);
      expect(spent[0].usedBy).toBe((await userRows().findOneByOrFail({ usernameNormalized: 'frank' })).id);
    });

    it('spends a verification code and an invite together, and marks the email verified', async () => {
      const code = await sentCode('gina@example.com');
      const invite = await inviteFor();
      const user = await users().register({
        ...newUser('gina', [codeClaim('gina@example.com', code), invites().claim(tenant, invite.code)]),
        email: 'gina@example.com',
      });
      expect(user.emailVerified).toBe(true);
      expect((await inviteRows().findOneByOrFail({ id: invite.id })).usedBy).toBe(user.id);
      expect((await t.dataSource.getRepository(VerificationCode).findOneByOrFail({ recipient: 'gina@example.com' })).consumedAt).toBe(
        clock.now(),
      );
    });

    it('spends neither when the code cannot be spent after the invite was', async () => {
      const code = await sentCode('hank@example.com');
      const invite = await inviteFor();
      const claims = [invites().claim(tenant, invite.code), thenAdvance(codeClaim('hank@example.com', code), t.config.codes.ttlSeconds)];
      await expect(users().register({ ...newUser('hank', claims), email: 'hank@example.com' })).rejects.toMatchObject({
        code: DomainErrorCode.VERIFICATION_CODE_INVALID,
      });
      expect(await userRows().count()).toBe(0);
      expect(await inviteRows().findOneByOrFail({ id: invite.id })).toMatchObject({ usedAt: null, usedBy: null });
    });

    it('spends neither when the invite cannot be spent after the code was', async () => {
      const invite = await inviteFor(tenant, 1);
      clock.advance(DAY - 60);
      const code = await sentCode('ivy@example.com');
      const claims = [codeClaim('ivy@example.com', code), thenAdvance(invites().claim(tenant, invite.code), 60)];
      await expect(users().register({ ...newUser('ivy', claims), email: 'ivy@example.com' })).rejects.toMatchObject({
        code: JsonApiUsersErrorCode.INVITE_CODE_INVALID,
      });
      expect(await userRows().count()).toBe(0);
      const row = await t.dataSource.getRepository(VerificationCode).findOneByOrFail({ recipient: 'ivy@example.com' });
      expect(row.consumedAt).toBeNull();
      await expect(
        users().register({ ...newUser('ivy', [codeClaim('ivy@example.com', code)]), email: 'ivy@example.com' }),
      ).resolves.toMatchObject({
        emailVerified: true,
      });
    });
  });

  describe('RefreshTokensService', () => {
    const TTL = 3600;
    const tokens = () => service(RefreshTokensService);
    const pastRetryWindow = () => clock.advance(t.config.tokens.refreshReuseSeconds + 1);
    let owner: User;
    let userId: number;

    beforeEach(async () => {
      owner = await users().register(newUser('owner'));
      userId = owner.id;
    });

    it('rotates a token into a new one and refuses the old one', async () => {
      const first = await tokens().issue(tenant.id, owner, TTL);
      const second = await tokens().rotate(tenant.id, first.token, TTL);
      expect(second).toEqual({
        token: expect.any(String),
        userId,
        familyId: first.familyId,
        expiresAt: clock.now() + TTL * 1000,
        user: expect.objectContaining({ id: userId }),
      });
      expect(second.token).not.toBe(first.token);
      pastRetryWindow();
      await expect(tokens().rotate(tenant.id, first.token, TTL)).rejects.toMatchObject({ code: DomainErrorCode.REFRESH_TOKEN_INVALID });
    });

    it('revokes the whole family when a spent token comes back, and only that family', async () => {
      const root = await tokens().issue(tenant.id, owner, TTL);
      const elsewhere = await tokens().issue(tenant.id, owner, TTL);
      const child = await tokens().rotate(tenant.id, root.token, TTL);
      pastRetryWindow();
      await expect(tokens().rotate(tenant.id, root.token, TTL)).rejects.toMatchObject({ code: DomainErrorCode.REFRESH_TOKEN_INVALID });
      await expect(tokens().rotate(tenant.id, child.token, TTL)).rejects.toMatchObject({ code: DomainErrorCode.REFRESH_TOKEN_INVALID });
      await expect(tokens().rotate(tenant.id, elsewhere.token, TTL)).resolves.toMatchObject({ userId });
    });

    it('takes a token until its TTL has passed, by the clock', async () => {
      const first = await tokens().issue(tenant.id, owner, TTL);
      clock.advance(TTL - 1);
      const second = await tokens().rotate(tenant.id, first.token, TTL);
      clock.advance(TTL);
      await expect(tokens().rotate(tenant.id, second.token, TTL)).rejects.toMatchObject({ code: DomainErrorCode.REFRESH_TOKEN_INVALID });
    });

    it('refuses a token of another tenant without spending it', async () => {
      const issued = await tokens().issue(tenant.id, owner, TTL);
      await expect(tokens().rotate(other.id, issued.token, TTL)).rejects.toMatchObject({ code: DomainErrorCode.REFRESH_TOKEN_INVALID });
      await expect(tokens().rotate(tenant.id, issued.token, TTL)).resolves.toMatchObject({ userId });
    });

    it.each(['', 'not-a-token', 'x'.repeat(10_000)])('refuses the unknown token %#', async (token) => {
      await expect(tokens().rotate(tenant.id, token, TTL)).rejects.toMatchObject({ code: DomainErrorCode.REFRESH_TOKEN_INVALID });
    });

    it('treats 10 concurrent rotations of one token as one use and its retries: every one gets the same child', async () => {
      const issued = await tokens().issue(tenant.id, owner, TTL);
      const children = await Promise.all(Array.from({ length: 10 }, () => tokens().rotate(tenant.id, issued.token, TTL)));
      expect(new Set(children.map((child) => child.token)).size).toBe(1);
      expect(new Set(children.map((child) => child.expiresAt)).size).toBe(1);
      expect(await t.dataSource.getRepository(RefreshToken).countBy({ familyId: issued.familyId })).toBe(2);
      await expect(tokens().familyHeldBy(issued.familyId, userId)).resolves.toBe(true);
      const next = await Promise.all(Array.from({ length: 10 }, () => tokens().rotate(tenant.id, children[9].token, TTL)));
      expect(new Set(next.map((child) => child.token)).size).toBe(1);
      expect(next[0]).toMatchObject({ familyId: issued.familyId });
      await expect(tokens().rotate(tenant.id, next[0].token, TTL)).resolves.toMatchObject({ familyId: issued.familyId });
      await expect(tokens().familyHeldBy(issued.familyId, userId)).resolves.toBe(true);
      await expect(tokens().rotate(tenant.id, issued.token, TTL)).rejects.toMatchObject({ code: DomainErrorCode.REFRESH_TOKEN_INVALID });
      await expect(tokens().familyHeldBy(issued.familyId, userId)).resolves.toBe(false);
    });

    it('hands a retry the child of the first use, with its expiry, and never stores a plain token', async () => {
      const issued = await tokens().issue(tenant.id, owner, TTL);
      const first = await tokens().rotate(tenant.id, issued.token, TTL);
      clock.advance(1);
      const retried = await tokens().rotate(tenant.id, issued.token, TTL);
      expect(retried).toEqual({ ...first, user: expect.objectContaining({ id: userId }) });
      const rows = await t.dataSource.getRepository(RefreshToken).findBy({ familyId: issued.familyId });
      expect(rows).toHaveLength(2);
      expect(JSON.stringify(rows)).not.toContain(issued.token);
      expect(JSON.stringify(rows)).not.toContain(first.token);
    });

    it('gives two families, and two users, children of their own', async () => {
      const second = await users().register(newUser('second'));
      const roots = [
        await tokens().issue(tenant.id, owner, TTL),
        await tokens().issue(tenant.id, owner, TTL),
        await tokens().issue(tenant.id, second, TTL),
      ];
      const children = await Promise.all(roots.map((root) => tokens().rotate(tenant.id, root.token, TTL)));
      expect(new Set(children.map((child) => child.token)).size).toBe(3);
      expect(children.map((child) => child.familyId)).toEqual(roots.map((root) => root.familyId));
    });

    it('takes a spent token again as a retry until REFRESH_REUSE_SECONDS have passed since its first use, then as reuse', async () => {
      const issued = await tokens().issue(tenant.id, owner, TTL);
      const first = await tokens().rotate(tenant.id, issued.token, TTL);
      clock.advance(t.config.tokens.refreshReuseSeconds);
      const retried = await tokens().rotate(tenant.id, issued.token, TTL);
      expect(retried.token).toBe(first.token);
      clock.advance(1);
      await expect(tokens().rotate(tenant.id, issued.token, TTL)).rejects.toMatchObject({ code: DomainErrorCode.REFRESH_TOKEN_INVALID });
      await expect(tokens().familyHeldBy(issued.familyId, userId)).resolves.toBe(false);
      await expect(tokens().rotate(tenant.id, first.token, TTL)).rejects.toMatchObject({ code: DomainErrorCode.REFRESH_TOKEN_INVALID });
    });

    it('takes a spent token whose child was spent too as reuse, even within the retry window', async () => {
      const issued = await tokens().issue(tenant.id, owner, TTL);
      const child = await tokens().rotate(tenant.id, issued.token, TTL);
      const grandchild = await tokens().rotate(tenant.id, child.token, TTL);
      await expect(tokens().rotate(tenant.id, issued.token, TTL)).rejects.toMatchObject({ code: DomainErrorCode.REFRESH_TOKEN_INVALID });
      await expect(tokens().rotate(tenant.id, grandchild.token, TTL)).rejects.toMatchObject({
        code: DomainErrorCode.REFRESH_TOKEN_INVALID,
      });
    });

    it("tells whether a family exists, is the user's and is not revoked", async () => {
      const issued = await tokens().issue(tenant.id, owner, TTL);
      await expect(tokens().familyHeldBy(issued.familyId, userId)).resolves.toBe(true);
      await expect(tokens().familyHeldBy(issued.familyId, userId + 1)).resolves.toBe(false);
      await expect(tokens().familyHeldBy('no-such-family', userId)).resolves.toBe(false);
      await expect(tokens().familyHeldBy('', userId)).resolves.toBe(false);
    });

    it('ends a family with its user: sessions ended, or the user rejected or waiting for review', async () => {
      const ended = await tokens().issue(tenant.id, owner, TTL);
      await users().endSessions(userId);
      await expect(tokens().rotate(tenant.id, ended.token, TTL)).rejects.toMatchObject({ code: DomainErrorCode.REFRESH_TOKEN_INVALID });
      const current = await userRows().findOneByOrFail({ id: userId });
      const fresh = await tokens().issue(tenant.id, current, TTL);
      await users().setStatus(userId, { status: UserStatus.PendingReview, source: 'test' });
      await expect(tokens().rotate(tenant.id, fresh.token, TTL)).rejects.toMatchObject({ code: DomainErrorCode.ACCOUNT_PENDING_REVIEW });
    });
  });

  describe('SessionsService', () => {
    const TTL = 600;
    const sessions = () => service(SessionsService);

    let owner: User;

    beforeEach(async () => {
      owner = await users().register(newUser('owner'));
    });

    it('finds the user of a live session until it expires, by the clock', async () => {
      const opened = await sessions().open(tenant.id, owner, TTL);
      expect(opened.expiresAt).toBe(clock.now() + TTL * 1000);
      await expect(sessions().userOf(tenant.id, opened.token)).resolves.toMatchObject({ id: owner.id });
      clock.advance(TTL - 1);
      await expect(sessions().userOf(tenant.id, opened.token)).resolves.toMatchObject({ id: owner.id });
      clock.advance(1);
      await expect(sessions().userOf(tenant.id, opened.token)).resolves.toBeNull();
    });

    it('answers null once the user is rejected, waiting for review, or had every session ended', async () => {
      const ended = await sessions().open(tenant.id, owner, TTL);
      await users().endSessions(owner.id);
      await expect(sessions().userOf(tenant.id, ended.token)).resolves.toBeNull();
      const current = await userRows().findOneByOrFail({ id: owner.id });
      const opened = await sessions().open(tenant.id, current, TTL);
      await expect(sessions().userOf(tenant.id, opened.token)).resolves.toMatchObject({ id: owner.id });
      await userRows().update({ id: owner.id }, { status: UserStatus.PendingReview });
      await expect(sessions().userOf(tenant.id, opened.token)).resolves.toBeNull();
    });

    it('answers null for another tenant and for unknown tokens', async () => {
      const opened = await sessions().open(tenant.id, owner, TTL);
      await expect(sessions().userOf(other.id, opened.token)).resolves.toBeNull();
      await expect(sessions().userOf(tenant.id, `${opened.token}x`)).resolves.toBeNull();
      await expect(sessions().userOf(tenant.id, 'x'.repeat(10_000))).resolves.toBeNull();
    });
  });

  describe('ServerKeysService', () => {
    const keys = () => service(ServerKeysService);

    it('stores the secret only sealed, and opens it for findActive', async () => {
      const issued = await keys().create(tenant, 'bp');
      expect(issued).toEqual({ keyName: expect.stringMatching(/^bp_[0-9a-f]{24}$/), keySecret: expect.stringMatching(/^[\w-]{43}$/) });
      const rows = await t.dataSource.query('SELECT * FROM server_keys');
      expect(rows).toHaveLength(1);
      expect(JSON.stringify(rows)).not.toContain(issued.keySecret);
      expect(JSON.stringify(rows)).not.toContain(Buffer.from(issued.keySecret, 'base64url').toString('base64'));
      const found = await keys().findActive(issued.keyName);
      expect(found).toMatchObject({ keyName: issued.keyName, secret: issued.keySecret, tenant: { id: tenant.id } });
    });

    it('finds a key no more once it is revoked', async () => {
      const issued = await keys().create(tenant);
      const kept = await keys().create(tenant);
      await expect(keys().revoke(issued.keyName)).resolves.toBe(true);
      await expect(keys().findActive(issued.keyName)).resolves.toBeNull();
      await expect(keys().revoke(issued.keyName)).resolves.toBe(false);
      await expect(keys().findActive(kept.keyName)).resolves.toMatchObject({ secret: kept.keySecret });
      await expect(keys().findActive('key_unknown')).resolves.toBeNull();
    });

    it('does not open a secret sealed under another JWT_SECRET', async () => {
      const issued = await keys().create(tenant);
      const foreign = new SecretBoxService({ ...t.config, security: { ...t.config.security, jwtSecret: 'another-secret-long-enough' } });
      await t.dataSource.getRepository(ServerKey).update({ keyName: issued.keyName }, { secretSealed: foreign.seal(issued.keySecret) });
      await expect(keys().findActive(issued.keyName)).resolves.toBeNull();
    });
  });

  describe('UsersService.authenticate', () => {
    const policy = { limit: 3, windowSeconds: 900, lockSeconds: 900 };
    const login = (password: string, name: { email?: string; username?: string } = { username: 'alice' }, client = '127.0.0.1') =>
      users().authenticate({
        tenant,
        ...name,
        password,
        budget: (account) => service(AttemptCounterService).budget(`${account}|${client}`, policy),
        source: 'test',
      });

    beforeEach(async () => {
      await users().register({ ...newUser('alice'), email: 'alice@example.com' });
    });

    it('returns the user with its logins counted, by username or email, without the hash', async () => {
      const first = await login('Tulip-Garden-42');
      expect(first).toMatchObject({ username: 'alice', loginsCount: 1 });
      expect(first).not.toHaveProperty('passwordHash');
      await expect(login('Tulip-Garden-42', { email: 'ALICE@example.com' })).resolves.toMatchObject({ loginsCount: 2 });
      await expect(login('Tulip-Garden-42', { username: 'ＡＬＩＣＥ' })).resolves.toMatchObject({ loginsCount: 3 });
      expect((await userRows().findOneByOrFail({ usernameNormalized: 'alice' })).loginsCount).toBe(3);
    });

    it('counts down the tries left on a wrong password and on an unknown user alike', async () => {
      await expect(login('wrong')).rejects.toMatchObject({
        code: DomainErrorCode.CREDENTIALS_INVALID,
        details: { params: { remaining: 2 } },
      });
      await expect(login('wrong')).rejects.toMatchObject({
        code: DomainErrorCode.CREDENTIALS_INVALID,
        details: { params: { remaining: 1 } },
      });
      await expect(login('Tulip-Garden-42', { username: 'nobody' })).rejects.toMatchObject({
        code: DomainErrorCode.CREDENTIALS_INVALID,
        details: { params: { remaining: 2 } },
      });
      expect((await userRows().findOneByOrFail({ usernameNormalized: 'alice' })).loginsCount).toBe(0);
    });

    it('spends one budget for the account, whether its username or its email was typed', async () => {
      await expect(login('wrong')).rejects.toMatchObject({ details: { params: { remaining: 2 } } });
      await expect(login('wrong', { email: 'Alice@example.com' })).rejects.toMatchObject({ details: { params: { remaining: 1 } } });
      await expect(login('wrong', { username: 'ＡＬＩＣＥ' })).rejects.toMatchObject({ details: { params: { remaining: 0 } } });
      await expect(login('Tulip-Garden-42', { email: 'alice@example.com' })).rejects.toMatchObject({ code: DomainErrorCode.LOGIN_LOCKED });
    });

    it.each([{ username: 'nobody' }, { email: 'nobody@example.com' }, { email: 'not an email' }, { username: 'bad\u0000name' }])(
      'still runs one bcrypt comparison for the unknown account %j',
      async (name) => {
        const verify = jest.spyOn(service(PasswordHasherService), 'verify');
        await expect(login('Tulip-Garden-42', name)).rejects.toMatchObject({ code: DomainErrorCode.CREDENTIALS_INVALID });
        expect(verify).toHaveBeenCalledTimes(1);
        expect(verify).toHaveBeenCalledWith('Tulip-Garden-42', expect.stringMatching(/^\$2[aby]\$04\$/));
        await expect(verify.mock.results[0].value).resolves.toBe(false);
      },
    );

    it('locks after the limit of failures, even for the right password, until the clock passes the lock', async () => {
      for (const remaining of [2, 1, 0]) {
        await expect(login('wrong')).rejects.toMatchObject({ details: { params: { remaining } } });
      }
      await expect(login('Tulip-Garden-42')).rejects.toMatchObject({
        code: DomainErrorCode.LOGIN_LOCKED,
        details: { params: { seconds: 900 } },
      });
      await expect(login('Tulip-Garden-42', { username: 'alice' }, '10.0.0.1')).resolves.toMatchObject({ loginsCount: 1 });
      clock.advance(policy.lockSeconds - 1);
      await expect(login('Tulip-Garden-42')).rejects.toMatchObject({
        code: DomainErrorCode.LOGIN_LOCKED,
        details: { params: { seconds: 1 } },
      });
      clock.advance(1);
      await expect(login('Tulip-Garden-42')).resolves.toMatchObject({ loginsCount: 2 });
      await expect(login('wrong')).rejects.toMatchObject({ details: { params: { remaining: 2 } } });
    });

    it.each([
      [UserStatus.PendingReview, DomainErrorCode.ACCOUNT_PENDING_REVIEW],
      [UserStatus.Rejected, DomainErrorCode.ACCOUNT_REJECTED],
    ])('tells a %s account so only with the right password', async (status, code) => {
      const user = await userRows().findOneByOrFail({ usernameNormalized: 'alice' });
      await users().setStatus(user.id, { status, source: 'test' });
      await expect(login('wrong')).rejects.toMatchObject({ code: DomainErrorCode.CREDENTIALS_INVALID });
      await expect(login('Tulip-Garden-42')).rejects.toMatchObject({ code });
      expect((await userRows().findOneByOrFail({ id: user.id })).loginsCount).toBe(0);
    });
  });

  describe('mobiles and password-less users', () => {
    const MOBILE = '+8613800138000';

    it('creates a user without a password whom no password signs in, and who can set one', async () => {
      const user = await users().register({ tenant, username: 'phoneonly', registerSource: 'test', mobile: MOBILE });
      expect(await userRows().findOneByOrFail({ id: user.id })).toMatchObject({ phone: MOBILE, phoneNormalized: MOBILE });
      await expect(users().authenticate({ tenant, username: 'phoneonly', password: '', source: 'test' })).rejects.toMatchObject({
        code: DomainErrorCode.CREDENTIALS_INVALID,
      });
      expect(await users().passwordMatches(user, '')).toBe(false);
      await users().setPassword(user, 'Tulip-Garden-42', tenant, { source: 'test' });
      expect(await users().passwordMatches(user, 'Tulip-Garden-42')).toBe(true);
      await expect(
        users().authenticate({ tenant, username: 'phoneonly', password: 'Tulip-Garden-42', source: 'test' }),
      ).resolves.toMatchObject({
        id: user.id,
      });
      await expect(users().authenticate({ tenant, mobile: MOBILE, password: 'Tulip-Garden-42', source: 'test' })).resolves.toMatchObject({
        id: user.id,
      });
      await expect(
        users().authenticate({ tenant, mobile: '+8613900139000', password: 'Tulip-Garden-42', source: 'test' }),
      ).rejects.toMatchObject({
        code: DomainErrorCode.CREDENTIALS_INVALID,
      });
    });

    it('refuses a common password when setting one, unless the tenant allows them', async () => {
      const user = await users().register(newUser('setter'));
      await expect(users().setPassword(user, 'password', tenant, { source: 'test' })).rejects.toMatchObject({
        code: DomainErrorCode.PASSWORD_TOO_WEAK,
      });
      expect(await users().passwordMatches(user, 'Tulip-Garden-42')).toBe(true);
    });

    it('keeps a mobile to one user per tenant: register, setMobile, and 20 racing registrations', async () => {
      const first = await users().register({ ...newUser('first'), mobile: MOBILE });
      await expect(users().register({ ...newUser('second'), mobile: MOBILE })).rejects.toMatchObject({
        code: DomainErrorCode.PHONE_TAKEN,
        details: { field: 'mobile' },
      });
      const second = await users().register(newUser('second'));
      await expect(users().setMobile(second, MOBILE, { field: 'data.attributes.mobile', source: 'test' })).rejects.toMatchObject({
        code: DomainErrorCode.PHONE_TAKEN,
        details: { field: 'data.attributes.mobile' },
      });
      await users().setMobile(first, null, { source: 'test' });
      await users().setMobile(second, MOBILE, { source: 'test' });
      expect(await users().findByMobile(tenant.id, MOBILE)).toMatchObject({ id: second.id });
      await expect(users().register({ ...newUser('elsewhere', [], other), mobile: MOBILE })).resolves.toMatchObject({ tenantId: other.id });

      const racing = '+8613900139000';
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, (_, i) => outcome(users().register({ ...newUser(`racer${i}`), mobile: racing }))),
      );
      expect(count(outcomes, 'ok')).toBe(1);
      expect(count(outcomes, DomainErrorCode.PHONE_TAKEN)).toBe(19);
      expect(await userRows().countBy({ phoneNormalized: racing })).toBe(1);
    });

    it("refuses a username that spells another user's mobile, and a mobile another user has as a username, per tenant", async () => {
      const owner = await users().register({ ...newUser('owner'), mobile: MOBILE });
      for (const username of ['13800138000', MOBILE, '１３８００１３８０００']) {
        await expect(users().register(newUser(username))).rejects.toMatchObject({ code: DomainErrorCode.USERNAME_TAKEN });
      }
      const bare = await users().register({ tenant, registerSource: 'test' });
      await expect(
        users().completeIdentity(bare, { tenant, username: '13800138000', password: 'Tulip-Garden-42', source: 'test' }),
      ).rejects.toMatchObject({
        code: DomainErrorCode.USERNAME_TAKEN,
      });
      await users().register(newUser('13800138000', [], other));

      const named = await users().register(newUser('13900139000'));
      const national = '+8613900139000';
      await expect(users().register({ ...newUser('mallory'), mobile: national })).rejects.toMatchObject({
        code: DomainErrorCode.PHONE_TAKEN,
      });
      const mallory = await users().register(newUser('mallory'));
      await expect(
        service(TransactionRunnerService).run((transaction) =>
          users().setMobile(mallory, national, { transaction, field: 'mobile', source: 'test' }),
        ),
      ).rejects.toMatchObject({ code: DomainErrorCode.PHONE_TAKEN, details: { field: 'mobile' } });
      const e164 = await users().register(newUser('+14155552671'));
      await expect(users().setMobile(mallory, '+14155552671', { source: 'test' })).rejects.toMatchObject({
        code: DomainErrorCode.PHONE_TAKEN,
      });
      expect(await users().mobileTaken(tenant.id, national)).toBe(true);
      expect(await users().mobileTaken(tenant.id, national, named)).toBe(false);
      await users().setMobile(named, national, { source: 'test' });
      await users().setMobile(e164, '+14155552671', { source: 'test' });
      expect(await userRows().countBy({ phoneNormalized: national })).toBe(1);
      expect(await users().findByMobile(tenant.id, national)).toMatchObject({ id: named.id });
      expect(await users().findByMobile(tenant.id, MOBILE)).toMatchObject({ id: owner.id });
      await expect(users().register({ ...newUser('elsewhere', [], other), mobile: national })).resolves.toMatchObject({
        tenantId: other.id,
      });
    });

    it('leaves userpool-style display phones alone: not unique, not an identity', async () => {
      await users().register({ ...newUser('a'), phone: '+86 138 0013 8000' });
      await users().register({ ...newUser('b'), phone: '+86 138 0013 8000' });
      expect(await userRows().countBy({ phone: '+86 138 0013 8000', phoneNormalized: IsNull() })).toBe(2);
    });
  });

  describe('VerificationCodesService for mobiles', () => {
    const MOBILE = '+8613800138000';
    const codes = () => service(VerificationCodesService);
    const target = { tenantId: 0, mobile: MOBILE, purpose: CodePurpose.SmsLogin };
    const sendTo = async (purpose = CodePurpose.SmsLogin) => {
      let code = '';
      await codes().send({ ...target, tenantId: tenant.id, purpose }, async (c) => {
        code = c;
      });
      return code;
    };

    it('lets a code live 5 minutes, whatever the email codes do', async () => {
      const code = await sendTo();
      clock.advance(299);
      await codes().spend({ ...target, tenantId: tenant.id }, code);
      const late = await (async () => {
        clock.advance(60);
        return sendTo();
      })();
      clock.advance(300);
      await expect(codes().spend({ ...target, tenantId: tenant.id }, late)).rejects.toMatchObject({
        code: DomainErrorCode.VERIFICATION_CODE_EXPIRED,
      });
    });

    it('sends one code per mobile and purpose per 60 s, saying so at the mobile', async () => {
      await sendTo();
      clock.advance(59);
      await expect(sendTo()).rejects.toMatchObject({
        code: DomainErrorCode.VERIFICATION_CODE_TOO_SOON,
        details: { field: 'mobile', params: { seconds: 60 }, retryAfterSeconds: 1 },
      });
      await expect(sendTo(CodePurpose.SmsBind)).resolves.toMatch(/^\d{6}$/);
      clock.advance(1);
      await expect(sendTo()).resolves.toMatch(/^\d{6}$/);
    });

    it('spends a code once, and tells when it was spent', async () => {
      const code = await sendTo(CodePurpose.SmsVerify);
      const verify = { ...target, tenantId: tenant.id, purpose: CodePurpose.SmsVerify };
      const sentAt = clock.now();
      expect(await codes().spentSince(verify, sentAt)).toBe(false);
      clock.advance(10);
      await codes().spend(verify, code);
      await expect(codes().spend(verify, code)).rejects.toMatchObject({ code: DomainErrorCode.VERIFICATION_CODE_INVALID });
      expect(await codes().spentSince(verify, clock.now())).toBe(true);
      expect(await codes().spentSince(verify, clock.now() + 1)).toBe(false);
      expect(await codes().spentSince({ ...verify, purpose: CodePurpose.SmsLogin }, sentAt)).toBe(false);
    });

    it.each([
      ['mobile', { mobile: MOBILE, purpose: CodePurpose.SmsLogin }, 60],
      ['email', { email: 'hourly@example.com', purpose: CodePurpose.Registration }, 60],
    ] as const)('counts only codes issued against the hour (%s): refusals as too soon use up nothing', async (field, to, resend) => {
      const send = () => codes().send({ tenantId: tenant.id, ...to }, async () => undefined);
      const issued = t.dataSource.getRepository(VerificationCode);
      await send();
      for (let i = 0; i < 8; i++) {
        await expect(send()).rejects.toMatchObject({ code: DomainErrorCode.VERIFICATION_CODE_TOO_SOON, details: { field } });
      }
      // CODE_SENDS_PER_HOUR is 5: four more codes go out, and the sixth is refused and withdrawn.
      for (let i = 0; i < 4; i++) {
        clock.advance(resend);
        await send();
      }
      clock.advance(resend);
      await expect(send()).rejects.toMatchObject({ code: DomainErrorCode.RATE_LIMITED, details: { field } });
      expect(await issued.countBy({ tenantId: tenant.id })).toBe(0);
    });

    it('withdraws the code and answers SMS_DELIVERY_FAILED when the SMS cannot be sent', async () => {
      await expect(
        codes().send({ ...target, tenantId: tenant.id }, () => Promise.reject(new Error('gateway said no'))),
      ).rejects.toMatchObject({ code: DomainErrorCode.SMS_DELIVERY_FAILED });
      expect(await t.dataSource.getRepository(VerificationCode).countBy({ recipient: MOBILE })).toBe(0);
    });
  });

  describe('SessionTokensService', () => {
    const sessionTokens = () => service(SessionTokensService);

    it('carries a payload until it expires, for its scopes only, and stores only a hash', async () => {
      const token = await sessionTokens().issue(tenant, 'mobile', { mobile: '+8613800138000' }, 3600);
      expect(token).toMatch(/^[A-Za-z0-9_-]{40}$/);
      expect(await sessionTokens().find(tenant, token, ['wechat'])).toBeNull();
      expect(await sessionTokens().find(other, token, ['mobile'])).toBeNull();
      expect(await sessionTokens().find(tenant, token, ['mobile'])).toMatchObject({ payload: { mobile: '+8613800138000' } });
      expect(await t.dataSource.getRepository(SessionToken).countBy({ tokenHash: token })).toBe(0);
      clock.advance(3600);
      expect(await sessionTokens().find(tenant, token, ['mobile'])).toBeNull();
    });

    it.each([[undefined], [null], [''], [42], [['x']], [{ token: 'x' }], ['x'.repeat(129)]])('finds nothing for %p', async (token) => {
      expect(await sessionTokens().find(tenant, token, ['mobile'])).toBeNull();
    });

    it('lets one of 20 registrations that claim one token win, and the rest create nothing', async () => {
      const token = await sessionTokens().issue(tenant, 'mobile', {}, 3600);
      const claimed = (): RegistrationClaim => {
        const claim = sessionTokens().claim(tenant, token, ['mobile'], 'mobileToken');
        return { provesEmail: false, check: async () => void (await claim.check()), spend: (transaction) => claim.spend(transaction) };
      };
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, (_, i) => outcome(users().register(newUser(`claimer${i}`, [claimed()])))),
      );
      expect(count(outcomes, 'ok')).toBe(1);
      expect(count(outcomes, DomainErrorCode.VALIDATION_FAILED)).toBe(19);
      expect(await userRows().countBy({ tenantId: tenant.id })).toBe(1);
    });
  });
});
