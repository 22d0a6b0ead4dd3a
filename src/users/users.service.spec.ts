import { Test } from '@nestjs/testing';
import { FakeClock } from '../../test/utils/fake-clock';
import { Clock } from '../clock/clock';
import { Transaction } from '../database/transaction';
import { TransactionRunnerService } from '../database/transaction-runner.service';
import { DomainErrorCode } from '../error-codes/domain-error-code.enum';
import { DomainError } from '../error-codes/domain-error';
import { UserEventType } from '../events/user-event';
import { UserEventsService } from '../events/user-events.service';
import { Tenant } from './entities/tenant.entity';
import { User, UserStatus } from './entities/user.entity';
import { emailSkeleton, usernameSkeleton } from './identity';
import { PasswordHasherService } from './password-hasher.service';
import { Credentials, LoginAttempts, NewUser, UsersService } from './users.service';
import { UsersStore } from './users.store';

const TRANSACTION = { transaction: true } as unknown as Transaction;
const CALLERS = { callers: true } as unknown as Transaction;

/** A hash that shows its password, so a test can tell which password a comparison used. */
const fakeHasher = {
  hash: jest.fn((password: string) => Promise.resolve(`hashed:${password}`)),
  verify: jest.fn((password: string, hash: string) => Promise.resolve(hash === `hashed:${password}`)),
  needsUpgrade: jest.fn(() => false),
};

/** A user as `UsersStore.findWithTenant` reads it, with its tenant. */
const withTenant = (fields: Partial<User> = {}) =>
  Object.assign(
    new User(),
    { id: 4, tenantId: 5, email: 'ann@example.com', username: null, phoneNormalized: null, status: UserStatus.Active },
    fields,
    {
      tenant: Object.assign(new Tenant(), { id: 5, kind: 'pool', code: 'p' }),
    },
  );

function fakeStore() {
  return {
    emailTaken: jest.fn(() => Promise.resolve(false)),
    usernameTaken: jest.fn(() => Promise.resolve(false)),
    insert: jest.fn(() => Promise.resolve(7)),
    takenBy: jest.fn((): 'email' | 'username' | undefined => undefined),
    findWithPasswordHash: jest.fn((): Promise<User | null> => Promise.resolve(null)),
    find: jest.fn((): Promise<User | null> => Promise.resolve(null)),
    countLogin: jest.fn(() => Promise.resolve(withTenant({ loginsCount: 3, lastLoginAt: 1, lastIp: null }))),
    list: jest.fn((): Promise<User[]> => Promise.resolve([])),
    setStatus: jest.fn(() => Promise.resolve(true)),
    findWithTenant: jest.fn((): Promise<User | null> => Promise.resolve(withTenant())),
    delete: jest.fn(() => Promise.resolve(true)),
    setPasswordHash: jest.fn(() => Promise.resolve(true)),
    setProfile: jest.fn(() => Promise.resolve(true)),
    setPhone: jest.fn(() => Promise.resolve()),
    usernameAmongOthers: jest.fn(() => Promise.resolve(false)),
    endSessions: jest.fn(() => Promise.resolve(true)),
  };
}

function fakeClaim(provesEmail = false): { provesEmail: boolean; check: jest.Mock; spend: jest.Mock } {
  return { provesEmail, check: jest.fn(() => Promise.resolve()), spend: jest.fn(() => Promise.resolve()) };
}

function fakeAttempts(): { [K in keyof LoginAttempts]: jest.Mock } {
  return {
    reserve: jest.fn(() => Promise.resolve()),
    recordFailure: jest.fn(() => Promise.resolve(2)),
    recordSuccess: jest.fn(() => Promise.resolve()),
    release: jest.fn(() => Promise.resolve()),
  };
}

/** The code a promise was rejected with, for `expect(...).resolves`. */
async function codeOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    if (error instanceof DomainError) {
      return `${error.code} ${error.details.field ?? ''}`.trim();
    }
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('UsersService', () => {
  const tenant = { id: 5, kind: 'pool', code: 'p' } as Tenant;
  const clock = new FakeClock();
  let store: ReturnType<typeof fakeStore>;
  let events: { record: jest.Mock };
  let users: UsersService;

  beforeEach(async () => {
    jest.clearAllMocks();
    store = fakeStore();
    events = { record: jest.fn(() => Promise.resolve()) };
    const moduleRef = await Test.createTestingModule({
      providers: [
        UsersService,
        { provide: UsersStore, useValue: store },
        { provide: PasswordHasherService, useValue: fakeHasher },
        { provide: Clock, useValue: clock },
        { provide: UserEventsService, useValue: events },
        { provide: TransactionRunnerService, useValue: { run: (work: (t: Transaction) => unknown) => work(TRANSACTION) } },
      ],
    }).compile();
    users = moduleRef.get(UsersService);
  });

  const newUser = (input: Partial<NewUser> = {}): NewUser => ({
    tenant,
    email: 'Ann@Example.com',
    password: 'Tulip-Garden-42',
    registerSource: 'basic:email',
    ...input,
  });

  describe('register', () => {
    it('writes normalised identifiers and the clock time, and returns the user without the hash', async () => {
      const user = await users.register(newUser({ username: 'Ａnn' }));
      expect(store.insert).toHaveBeenCalledTimes(1);
      expect(store.insert).toHaveBeenCalledWith(TRANSACTION, {
        tenantId: 5,
        email: 'Ann@Example.com',
        emailNormalized: 'ann@example.com',
        username: 'Ａnn',
        usernameNormalized: 'ann',
        emailSkeleton: emailSkeleton('ann@example.com'),
        usernameSkeleton: usernameSkeleton('ann'),
        passwordHash: 'hashed:Tulip-Garden-42',
        status: UserStatus.Active,
        emailVerified: false,
        phone: null,
        phoneNormalized: null,
        registerSource: 'basic:email',
        profile: {},
        loginsCount: 0,
        tokenEpoch: 0,
        createdAt: clock.now(),
        updatedAt: clock.now(),
      });
      expect(user).toBeInstanceOf(User);
      expect(user).toMatchObject({ id: 7, emailNormalized: 'ann@example.com', createdAt: clock.now() });
      expect(user).not.toHaveProperty('passwordHash');
    });

    it('records user.created with the register source in the transaction of the INSERT, and none when the INSERT fails', async () => {
      await users.register(newUser({ username: 'Ａnn' }));
      expect(events.record).toHaveBeenCalledWith(
        TRANSACTION,
        UserEventType.Created,
        { user: expect.objectContaining({ id: 7, email: 'Ann@Example.com', username: 'Ａnn', status: UserStatus.Active }), tenant },
        'basic:email',
      );
      events.record.mockClear();
      store.insert.mockRejectedValue(new Error('duplicate'));
      await expect(users.register(newUser())).rejects.toThrow('duplicate');
      expect(events.record).not.toHaveBeenCalled();
    });

    it('refuses a taken email before hashing, under the field name the dialect uses', async () => {
      store.emailTaken.mockResolvedValue(true);
      await expect(codeOf(users.register(newUser({ fields: { email: 'mail' } })))).resolves.toBe(`${DomainErrorCode.EMAIL_TAKEN} mail`);
      expect(store.emailTaken).toHaveBeenCalledWith(5, 'ann@example.com', emailSkeleton('ann@example.com'));
      expect(fakeHasher.hash).not.toHaveBeenCalled();
      expect(store.insert).not.toHaveBeenCalled();
    });

    it('refuses a taken username', async () => {
      store.usernameTaken.mockResolvedValue(true);
      await expect(codeOf(users.register(newUser({ email: undefined, username: 'ann' })))).resolves.toBe(
        `${DomainErrorCode.USERNAME_TAKEN} username`,
      );
      expect(store.emailTaken).not.toHaveBeenCalled();
    });

    it('turns a unique-key violation of a racing registration into the duplicate code the store names', async () => {
      const violation = new Error('duplicate');
      store.insert.mockRejectedValue(violation);
      store.takenBy.mockReturnValue('username');
      await expect(codeOf(users.register(newUser({ username: 'ann' })))).resolves.toBe(`${DomainErrorCode.USERNAME_TAKEN} username`);
      store.takenBy.mockReturnValue('email');
      await expect(codeOf(users.register(newUser()))).resolves.toBe(`${DomainErrorCode.EMAIL_TAKEN} email`);
      expect(store.takenBy).toHaveBeenCalledWith(violation);
    });

    it('asks the store for look-alikes by skeleton, so that a taken name taken in another script is taken', async () => {
      store.usernameTaken.mockResolvedValue(true);
      await expect(codeOf(users.register(newUser({ email: undefined, username: 'сор' })))).resolves.toBe(
        `${DomainErrorCode.USERNAME_TAKEN} username`,
      );
      expect(store.usernameTaken).toHaveBeenCalledWith(5, 'сор', usernameSkeleton('cop'));
    });

    it.each([
      [{ email: undefined, username: 'jоhn' }, `${DomainErrorCode.USERNAME_INVALID} username`],
      [{ email: 'jоhn@example.com' }, `${DomainErrorCode.EMAIL_INVALID} email`],
      [{ email: 'p@exаmple.com' }, `${DomainErrorCode.EMAIL_INVALID} email`],
      [{ email: 'p@xn--exmple-4nf.com' }, `${DomainErrorCode.EMAIL_INVALID} email`],
    ])('refuses the mixed-script identity %j once it is free, before hashing', async (input, expected) => {
      await expect(codeOf(users.register(newUser(input)))).resolves.toBe(expected);
      expect(fakeHasher.hash).not.toHaveBeenCalled();
    });

    it.each(['123456', 'password', 'PassWord', '      ', 'secret1'])('refuses the common password %j as too weak', async (password) => {
      await expect(codeOf(users.register(newUser({ password, fields: { password: 'pwd' } })))).resolves.toBe(
        `${DomainErrorCode.PASSWORD_TOO_WEAK} pwd`,
      );
      expect(store.emailTaken).not.toHaveBeenCalled();
    });

    it('lets a common password through where the tenant allows them', async () => {
      const lenient = Object.assign(new Tenant(), { id: 5, settings: { allowCommonPasswords: true } });
      await users.register(newUser({ tenant: lenient, password: '123456' }));
      expect(fakeHasher.hash).toHaveBeenCalledWith('123456', 'password');
    });

    it('lets any other database error through unchanged', async () => {
      const failure = new Error('disk full');
      store.insert.mockRejectedValue(failure);
      await expect(users.register(newUser())).rejects.toBe(failure);
    });

    it.each([
      [{ email: 'not an email' }, DomainErrorCode.EMAIL_INVALID],
      [{ email: undefined, username: ' ann' }, DomainErrorCode.USERNAME_INVALID],
      [{ email: undefined, username: 'a\u0000b' }, DomainErrorCode.USERNAME_INVALID],
      [{ email: undefined, username: 'a'.repeat(192) }, DomainErrorCode.USERNAME_INVALID],
    ])('refuses %j with %s before any query', async (input, code) => {
      await expect(codeOf(users.register(newUser(input)))).resolves.toMatch(new RegExp(`^${code}`));
      expect(store.emailTaken).not.toHaveBeenCalled();
      expect(store.usernameTaken).not.toHaveBeenCalled();
    });

    it('checks claims before the hash and spends them in the INSERT transaction with the new id', async () => {
      const order: string[] = [];
      const code = fakeClaim(true);
      const step =
        <T>(name: string, result: T) =>
        () => (order.push(name), Promise.resolve(result));
      code.check.mockImplementation(step('check', undefined));
      fakeHasher.hash.mockImplementationOnce(step('hash', 'hashed:Tulip-Garden-42'));
      store.insert.mockImplementation(step('insert', 9));
      code.spend.mockImplementation(step('spend', undefined));
      const user = await users.register(newUser({ claims: [code] }));
      expect(order).toEqual(['check', 'hash', 'insert', 'spend']);
      expect(store.insert).toHaveBeenCalledWith(TRANSACTION, expect.objectContaining({ emailVerified: true }));
      expect(code.spend).toHaveBeenCalledWith(TRANSACTION, 9);
      expect(user.emailVerified).toBe(true);
    });

    it("reports a failed claim as the claim's error while the email is free", async () => {
      const invite = fakeClaim();
      invite.check.mockRejectedValue(new DomainError(DomainErrorCode.VERIFICATION_CODE_INVALID, { field: 'code' }));
      await expect(codeOf(users.register(newUser({ claims: [invite] })))).resolves.toBe(
        `${DomainErrorCode.VERIFICATION_CODE_INVALID} code`,
      );
      expect(store.insert).not.toHaveBeenCalled();
    });

    it('reports a failed claim as EMAIL_TAKEN when a racing registration took the email meanwhile', async () => {
      const code = fakeClaim(true);
      code.check.mockImplementation(() => {
        store.emailTaken.mockResolvedValue(true);
        return Promise.reject(new DomainError(DomainErrorCode.VERIFICATION_CODE_INVALID, { field: 'code' }));
      });
      await expect(codeOf(users.register(newUser({ claims: [code] })))).resolves.toBe(`${DomainErrorCode.EMAIL_TAKEN} email`);
    });
  });

  describe('authenticate', () => {
    const stored = (status: UserStatus) =>
      Object.assign(new User(), { id: 4, tenantId: 5, status, passwordHash: 'hashed:right', loginsCount: 2 });
    const login = (input: Partial<Credentials> = {}): Credentials => ({
      tenant,
      email: 'Ann@example.com',
      password: 'right',
      source: 'login:password',
      ...input,
    });

    it('costs an unknown account the same comparison as a known one, against the hash of a random password', async () => {
      const attempts = fakeAttempts();
      const budget = jest.fn(() => attempts);
      await expect(codeOf(users.authenticate(login({ budget })))).resolves.toBe(DomainErrorCode.CREDENTIALS_INVALID);
      expect(store.findWithPasswordHash).toHaveBeenCalledWith(5, { emailNormalized: 'ann@example.com' });
      expect(budget).toHaveBeenCalledWith('email:ann@example.com');
      expect(fakeHasher.verify).toHaveBeenCalledTimes(1);
      expect(fakeHasher.verify.mock.calls[0][1]).toMatch(/^hashed:[0-9a-f]{32}$/);
      expect(attempts.recordFailure).toHaveBeenCalledTimes(1);
    });

    it('compares even a login whose identifier cannot name an account, without asking the store', async () => {
      await expect(codeOf(users.authenticate(login({ email: 'nope' })))).resolves.toBe(DomainErrorCode.CREDENTIALS_INVALID);
      await expect(codeOf(users.authenticate(login({ email: undefined, username: ' ann' })))).resolves.toBe(
        DomainErrorCode.CREDENTIALS_INVALID,
      );
      expect(store.findWithPasswordHash).not.toHaveBeenCalled();
      expect(fakeHasher.verify).toHaveBeenCalledTimes(2);
    });

    it('tells the remaining tries on a wrong password', async () => {
      store.findWithPasswordHash.mockResolvedValue(stored(UserStatus.Active));
      const error = await users.authenticate(login({ password: 'wrong', budget: fakeAttempts })).catch((e: DomainError) => e);
      expect(error).toMatchObject({ code: DomainErrorCode.CREDENTIALS_INVALID, details: { params: { remaining: 2 } } });
    });

    it('counts the login of an active account and returns it without the hash', async () => {
      store.findWithPasswordHash.mockResolvedValue(stored(UserStatus.Active));
      const attempts = fakeAttempts();
      const budget = jest.fn(() => attempts);
      const user = await users.authenticate(login({ email: undefined, username: 'Ann', budget }));
      expect(store.findWithPasswordHash).toHaveBeenCalledWith(5, { usernameNormalized: 'ann' });
      expect(budget).toHaveBeenCalledWith('user:4');
      expect(store.countLogin).toHaveBeenCalledWith(TRANSACTION, 4, { at: clock.now(), ip: null });
      expect(events.record).toHaveBeenCalledWith(
        TRANSACTION,
        UserEventType.Login,
        { user: expect.objectContaining({ id: 4 }), tenant: expect.objectContaining({ id: 5 }) },
        'login:password',
      );
      expect(user).toMatchObject({ id: 4, loginsCount: 3 });
      expect(user).not.toHaveProperty('passwordHash');
      expect(attempts.recordSuccess).toHaveBeenCalledTimes(1);
    });

    it.each([
      [UserStatus.PendingReview, DomainErrorCode.ACCOUNT_PENDING_REVIEW],
      [UserStatus.Rejected, DomainErrorCode.ACCOUNT_REJECTED],
      [UserStatus.Disabled, DomainErrorCode.ACCOUNT_DISABLED],
    ])('reveals the %s status only to the right password', async (status, code) => {
      store.findWithPasswordHash.mockResolvedValue(stored(status));
      await expect(codeOf(users.authenticate(login({ password: 'wrong' })))).resolves.toBe(DomainErrorCode.CREDENTIALS_INVALID);
      await expect(codeOf(users.authenticate(login()))).resolves.toBe(code);
      expect(store.countLogin).not.toHaveBeenCalled();
      expect(events.record).not.toHaveBeenCalled();
    });

    it("spends one budget, the user's, whichever of its names was typed", async () => {
      store.findWithPasswordHash.mockResolvedValueOnce(null).mockResolvedValueOnce(stored(UserStatus.Active));
      const budget = jest.fn(fakeAttempts);
      await users.authenticate(login({ email: undefined, username: '+8613800138000', mobile: '+8613800138000', budget }));
      expect(budget.mock.calls).toEqual([['user:4']]);
    });

    it('counts a name that cannot name an account under the name as typed', async () => {
      const budget = jest.fn(fakeAttempts);
      await expect(codeOf(users.authenticate(login({ email: 'nope', budget })))).resolves.toBe(DomainErrorCode.CREDENTIALS_INVALID);
      expect(budget).toHaveBeenCalledWith('typed:nope');
    });

    it('takes no try when the lookup fails, and gives the reserved try back when the comparison fails', async () => {
      store.findWithPasswordHash.mockRejectedValueOnce(new Error('gone'));
      const budget = jest.fn(fakeAttempts);
      await expect(users.authenticate(login({ budget }))).rejects.toThrow('gone');
      expect(budget).not.toHaveBeenCalled();
      fakeHasher.verify.mockRejectedValueOnce(new Error('broken'));
      const attempts = fakeAttempts();
      await expect(users.authenticate(login({ budget: () => attempts }))).rejects.toThrow('broken');
      expect(attempts.reserve).toHaveBeenCalledTimes(1);
      expect(attempts.release).toHaveBeenCalledTimes(1);
      expect(attempts.recordFailure).not.toHaveBeenCalled();
    });
  });

  describe('setStatus', () => {
    it('stamps a change with the clock, conditional on the status read, and ends the sessions of a user who is no longer active', async () => {
      await users.setStatus(4, { status: UserStatus.Rejected, source: 'test' });
      expect(store.setStatus).toHaveBeenCalledWith(TRANSACTION, {
        id: 4,
        status: UserStatus.Rejected,
        from: UserStatus.Active,
        endSessions: true,
        updatedAt: clock.now(),
      });
      store.findWithTenant.mockResolvedValue(withTenant({ status: UserStatus.PendingReview }));
      await users.setStatus(4, { status: UserStatus.Active, from: UserStatus.PendingReview, source: 'cli' });
      expect(store.setStatus).toHaveBeenLastCalledWith(TRANSACTION, {
        id: 4,
        status: UserStatus.Active,
        from: UserStatus.PendingReview,
        endSessions: false,
        updatedAt: clock.now(),
      });
    });

    it.each([
      [UserStatus.PendingReview, UserStatus.Active, UserEventType.Approved],
      [UserStatus.PendingReview, UserStatus.Rejected, UserEventType.Rejected],
      [UserStatus.Active, UserStatus.Disabled, UserEventType.Updated],
      [UserStatus.Disabled, UserStatus.Active, UserEventType.Updated],
    ])('records a change from %s to %s as %s, showing the user after it', async (from, status, type) => {
      const after = withTenant({ status });
      store.findWithTenant.mockResolvedValueOnce(withTenant({ status: from })).mockResolvedValueOnce(after);
      await expect(users.setStatus(4, { status, from, source: 'cli' })).resolves.toMatchObject({ user: { id: 4, status }, changed: true });
      expect(events.record).toHaveBeenCalledWith(TRANSACTION, type, { user: after, tenant: after.tenant }, 'cli');
    });

    it('tells whether a change applied, records none that did not, and null for no such user', async () => {
      store.findWithTenant.mockResolvedValue(withTenant({ status: UserStatus.Active }));
      await expect(users.setStatus(4, { status: UserStatus.Rejected, from: UserStatus.PendingReview, source: 'cli' })).resolves.toEqual({
        user: expect.objectContaining({ id: 4, status: UserStatus.Active }),
        changed: false,
      });
      await expect(users.setStatus(4, { status: UserStatus.Active, source: 'cli' })).resolves.toMatchObject({ changed: false });
      expect(store.setStatus).not.toHaveBeenCalled();
      store.findWithTenant.mockResolvedValue(withTenant({ status: UserStatus.PendingReview }));
      store.setStatus.mockResolvedValue(false);
      await expect(users.setStatus(4, { status: UserStatus.Rejected, source: 'cli' })).resolves.toMatchObject({ changed: false });
      expect(events.record).not.toHaveBeenCalled();
      store.findWithTenant.mockResolvedValue(null);
      await expect(users.setStatus(4, { status: UserStatus.Rejected, from: UserStatus.PendingReview, source: 'cli' })).resolves.toBeNull();
      await expect(users.setStatus(Number.MAX_SAFE_INTEGER + 1, { status: UserStatus.Rejected, source: 'cli' })).resolves.toBeNull();
      await expect(users.endSessions(Number.NaN)).resolves.toBe(false);
      expect(store.endSessions).not.toHaveBeenCalled();
    });
  });

  describe('events of other changes', () => {
    const recorded = (type: UserEventType, source: string) =>
      expect(events.record).toHaveBeenCalledWith(
        TRANSACTION,
        type,
        { user: expect.objectContaining({ id: 4 }), tenant: expect.objectContaining({ id: 5 }) },
        source,
      );

    it("deletes inside the caller's transaction, recording the user as it was before; nothing when there was none", async () => {
      const before = withTenant();
      store.findWithTenant.mockResolvedValue(before);
      await expect(users.delete(4, CALLERS, 'account-deletion')).resolves.toBe(true);
      expect(store.delete).toHaveBeenCalledWith(CALLERS, 4);
      expect(events.record).toHaveBeenCalledWith(
        CALLERS,
        UserEventType.Deleted,
        { user: before, tenant: before.tenant },
        'account-deletion',
      );
      events.record.mockClear();
      store.delete.mockResolvedValue(false);
      await expect(users.delete(4, CALLERS, 'account-deletion')).resolves.toBe(false);
      store.findWithTenant.mockResolvedValue(null);
      await expect(users.delete(4, CALLERS, 'account-deletion')).resolves.toBe(false);
      expect(events.record).not.toHaveBeenCalled();
    });

    it('records a password change with the hash in one transaction, and none for a user gone meanwhile', async () => {
      await users.setPassword({ id: 4 }, 'Tulip-Garden-42', tenant, { source: 'password.reset' });
      expect(store.setPasswordHash).toHaveBeenCalledWith(TRANSACTION, 4, 'hashed:Tulip-Garden-42', clock.now());
      recorded(UserEventType.Updated, 'password.reset');
      events.record.mockClear();
      store.setPasswordHash.mockResolvedValue(false);
      await users.setPassword({ id: 4 }, 'Tulip-Garden-42', tenant, { source: 'password.reset' });
      expect(events.record).not.toHaveBeenCalled();
    });

    it('records a profile change', async () => {
      await expect(users.updateProfile({ id: 4, profile: { a: 1 } }, { b: 2 }, 'profile')).resolves.toEqual({ a: 1, b: 2 });
      expect(store.setProfile).toHaveBeenCalledWith(TRANSACTION, 4, { a: 1, b: 2 }, clock.now());
      recorded(UserEventType.Updated, 'profile');
    });

    it("records a mobile change inside the caller's transaction when given, else in one of its own", async () => {
      await users.setMobile({ id: 4 }, '+8613800138000', { transaction: CALLERS, source: 'mobile.bind' });
      expect(store.setPhone).toHaveBeenCalledWith(CALLERS, 4, '+8613800138000', '+8613800138000', clock.now());
      expect(events.record).toHaveBeenCalledWith(CALLERS, UserEventType.Updated, expect.anything(), 'mobile.bind');
      await users.setMobile({ id: 4 }, null, { source: 'test' });
      expect(store.setPhone).toHaveBeenLastCalledWith(TRANSACTION, 4, null, null, clock.now());
      recorded(UserEventType.Updated, 'test');
    });

    it('counts a sign-in made without a password and records user.login with it', async () => {
      await expect(users.recordLogin(4, { source: 'login:sms', ip: '192.0.2.1' })).resolves.toEqual({
        loginsCount: 3,
        lastLoginAt: 1,
        lastIp: null,
      });
      expect(store.countLogin).toHaveBeenCalledWith(TRANSACTION, 4, { at: clock.now(), ip: '192.0.2.1' });
      recorded(UserEventType.Login, 'login:sms');
    });

    it("records user.updated for a dialect's binding write, inside its transaction", async () => {
      await users.recordUpdate(CALLERS, 4, 'wechat.bind');
      expect(store.findWithTenant).toHaveBeenCalledWith(CALLERS, 4);
      expect(events.record).toHaveBeenCalledWith(CALLERS, UserEventType.Updated, expect.anything(), 'wechat.bind');
    });
  });

  it.each([
    ['finds the user at the epoch of the token', UserStatus.Active, 2, true],
    ['finds no user whose sessions were ended since', UserStatus.Active, 3, false],
    ['finds no rejected user', UserStatus.Rejected, 2, false],
    ['finds no user waiting for review', UserStatus.PendingReview, 2, false],
  ])('findSignedIn %s', async (_label, status, tokenEpoch, found) => {
    const user = Object.assign(new User(), { id: 4, tenantId: 5, status, tokenEpoch });
    store.find.mockResolvedValue(user);
    await expect(users.findSignedIn(5, 4, 2)).resolves.toBe(found ? user : null);
  });

  it('looks up no user by an id that is not a safe integer', async () => {
    await expect(users.find(5, Number.MAX_SAFE_INTEGER + 1)).resolves.toBeNull();
    expect(store.find).not.toHaveBeenCalled();
  });

  describe('completeIdentity', () => {
    let completeIdentity: jest.Mock;
    const completion = { tenant, username: 'Ａnn', password: 'Tulip-Garden-42', fields: { username: 'name' }, source: 'identity' };

    beforeEach(() => {
      completeIdentity = jest.fn(() => Promise.resolve(true));
      Object.assign(store, { completeIdentity });
      store.findWithTenant.mockResolvedValue(withTenant({ id: 9, email: null, username: 'Ａnn' }));
    });

    it('writes the normalised identity and the hash in one conditional update with its claims, keeping the id', async () => {
      const claim = fakeClaim(true);
      const user = await users.completeIdentity({ id: 9 }, { ...completion, profile: { imei: 'i' }, claims: [claim] });
      expect(completeIdentity).toHaveBeenCalledWith(TRANSACTION, 9, {
        email: null,
        username: 'Ａnn',
        emailNormalized: null,
        emailSkeleton: null,
        usernameNormalized: 'ann',
        usernameSkeleton: usernameSkeleton('ann'),
        passwordHash: 'hashed:Tulip-Garden-42',
        emailVerified: true,
        profile: { imei: 'i' },
        updatedAt: clock.now(),
      });
      expect(claim.spend).toHaveBeenCalledWith(TRANSACTION, 9);
      expect(store.findWithTenant).toHaveBeenCalledWith(TRANSACTION, 9);
      expect(events.record).toHaveBeenCalledWith(TRANSACTION, UserEventType.Updated, expect.objectContaining({ user: user }), 'identity');
      expect(user).toMatchObject({ id: 9 });
    });

    it('answers null and spends no claim when the user has an identity by now', async () => {
      completeIdentity.mockResolvedValue(false);
      const claim = fakeClaim();
      await expect(users.completeIdentity({ id: 9 }, { ...completion, claims: [claim] })).resolves.toBeNull();
      expect(claim.spend).not.toHaveBeenCalled();
      expect(events.record).not.toHaveBeenCalled();
    });

    it('refuses a taken username before hashing, and a common password', async () => {
      store.usernameTaken.mockResolvedValue(true);
      await expect(codeOf(users.completeIdentity({ id: 9 }, completion))).resolves.toBe(`${DomainErrorCode.USERNAME_TAKEN} name`);
      expect(fakeHasher.hash).not.toHaveBeenCalled();
      store.usernameTaken.mockResolvedValue(false);
      await expect(codeOf(users.completeIdentity({ id: 9 }, { ...completion, password: 'password1' }))).resolves.toBe(
        `${DomainErrorCode.PASSWORD_TOO_WEAK} password`,
      );
      expect(completeIdentity).not.toHaveBeenCalled();
    });

    it('turns a lost race on the unique index into the duplicate error', async () => {
      completeIdentity.mockRejectedValue(new Error('duplicate'));
      store.takenBy.mockReturnValue('username');
      await expect(codeOf(users.completeIdentity({ id: 9 }, completion))).resolves.toBe(`${DomainErrorCode.USERNAME_TAKEN} name`);
    });
  });
});
