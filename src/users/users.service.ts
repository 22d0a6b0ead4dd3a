import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../clock/clock';
import { Transaction } from '../database/transaction';
import { TransactionRunnerService } from '../database/transaction-runner.service';
import { DomainErrorCode } from '../error-codes/domain-error-code.enum';
import { DomainError } from '../error-codes/domain-error';
import { UserEventType } from '../events/user-event';
import { UserEventsService } from '../events/user-events.service';
import { Tenant } from './entities/tenant.entity';
import { USERNAME_COLUMN_LENGTH, User, UserStatus } from './entities/user.entity';
import { allowsCommonPasswords, isCommonPassword } from './common-passwords';
import { emailSkeleton, isAllowedNewEmail, isAllowedNewUsername, usernameSkeleton } from './identity';
import { hasForbiddenUsernameCharacters, isValidEmail, normalizeEmail, normalizeUsername } from './normalization';
import { PasswordHasherService } from './password-hasher.service';
import { mobileSpellings, normalizeMobile } from './phone';
import { characterLength } from './password-rules';
import { RegistrationClaim } from './registration-claim';
import { IdentityChange, LoginKey, NewUserRow, UsersStore, UserWithTenant } from './users.store';

export interface NewUser {
  tenant: Tenant;
  email?: string;
  username?: string;
  /** Absent for a user who signs in by phone, WeChat or device only: no password will match. */
  password?: string;
  registerSource: string;
  status?: UserStatus;
  /** A phone kept as given, for display only (userpool's profile `phone`): not unique, not an identity. */
  phone?: string;
  /** A mobile the user signs in with, in E.164 (`normalizeMobile`): unique per tenant; also shown as `phone` unless that is given. */
  mobile?: string;
  profile?: Record<string, unknown>;
  /** What this registration uses up (verification codes, invites), atomically with the INSERT. */
  claims?: RegistrationClaim[];
  /** Request field names for errors, where a dialect spells them differently. */
  fields?: { email?: string; username?: string; password?: string; mobile?: string };
}

/**
 * Counts failed logins for one account and client, and may refuse further tries. A try is reserved
 * before the password is compared, so concurrent tries cannot all slip past the limit; each reserved
 * try is then settled by exactly one of the other three.
 */
export interface LoginAttempts {
  /** Throws (e.g. LOGIN_LOCKED) when no further try is allowed now. */
  reserve(): Promise<void>;
  /** Records a failed try; returns how many tries remain before the lock. */
  recordFailure(): Promise<number>;
  recordSuccess(): Promise<void>;
  /** Gives back a try that ended without an answer (the database failed, say). */
  release(): Promise<void>;
}

/** What a user without an identity gets from `completeIdentity`: an email or username, and a password. */
export interface IdentityCompletion extends Pick<NewUser, 'tenant' | 'email' | 'username' | 'claims' | 'fields'> {
  password: string;
  /** Replaces the stored profile when given. */
  profile?: Record<string, unknown>;
  /** What made the change, the `source` of its `user.updated` event (docs/webhooks.md#sources). */
  source: string;
}

/** A sign-in to count: what it was (`login:password`, `login:sms`, ...), and the client's address when known. */
export interface LoginSource {
  source: string;
  ip?: string;
}

/** A status to set: only from `from` when given; `source` is what made the change (`cli`). */
export interface StatusChangeRequest {
  status: UserStatus;
  from?: UserStatus;
  source: string;
}

export interface Credentials {
  tenant: Tenant;
  /**
   * Exactly one of email, username and mobile names the account, except that a username may come with a
   * mobile: the account with that username, else the one with that mobile (Discuz! Q's login field takes either).
   */
  email?: string;
  username?: string;
  /** A mobile in E.164 (`normalizeMobile`). */
  mobile?: string;
  password: string;
  /**
   * The failure budget of an account, asked for once the name is looked up: `user:<id>` for the user it found,
   * so that every name of one account (email, username, mobile) spends one budget, else the name as typed.
   */
  budget?: (account: string) => LoginAttempts;
  /** The client's address (`clientAddressOf`), recorded with the sign-in when given. */
  ip?: string;
  /** What kind of sign-in this is, the `source` of its `user.login` event (`login:password`). */
  source: string;
}

/** The only writer of users: normalisation, hashing and the duplicate rule live here and nowhere else. */
@Injectable()
export class UsersService {
  private dummy?: Promise<string>;

  constructor(
    private readonly users: UsersStore,
    private readonly transactions: TransactionRunnerService,
    private readonly hasher: PasswordHasherService,
    private readonly clock: Clock,
    private readonly events: UserEventsService,
  ) {}

  /**
   * Fails fast with EMAIL_TAKEN / USERNAME_TAKEN before the costly hash. Only an optimisation and a way
   * to order checks: the unique indexes decide when two registrations race.
   */
  async assertAvailable(input: Pick<NewUser, 'tenant' | 'email' | 'username' | 'mobile' | 'fields'>): Promise<void> {
    const { emailNormalized, emailSkeleton, usernameNormalized, usernameSkeleton } = this.normalize(input);
    if (emailNormalized && emailSkeleton && (await this.users.emailTaken(input.tenant.id, emailNormalized, emailSkeleton))) {
      throw new DomainError(DomainErrorCode.EMAIL_TAKEN, { field: input.fields?.email ?? 'email' });
    }
    if (usernameNormalized && usernameSkeleton && (await this.usernameTaken(input.tenant.id, usernameNormalized, usernameSkeleton))) {
      throw new DomainError(DomainErrorCode.USERNAME_TAKEN, { field: input.fields?.username ?? 'username' });
    }
    if (input.mobile !== undefined && (await this.mobileTaken(input.tenant.id, input.mobile))) {
      throw new DomainError(DomainErrorCode.PHONE_TAKEN, { field: input.fields?.mobile ?? 'mobile' });
    }
  }

  /**
   * Logins that take a username or a mobile in one field (userpool's account, Discuz! Q's username) try the
   * username first: a username that reads as someone's mobile would lock that user out, so it counts as taken.
   */
  private async usernameTaken(tenantId: number, usernameNormalized: string, usernameSkeleton: string): Promise<boolean> {
    const asMobile = normalizeMobile(usernameNormalized);
    return (
      (await this.users.usernameTaken(tenantId, usernameNormalized, usernameSkeleton)) ||
      (asMobile !== null && (await this.users.phoneTaken(tenantId, asMobile)))
    );
  }

  /**
   * Whether a user of the tenant has the mobile (E.164), or a user other than `binder` has a username that
   * spells it (`mobileSpellings`): what binding it would refuse with PHONE_TAKEN.
   */
  async mobileTaken(tenantId: number, mobile: string, binder?: Pick<User, 'id'>): Promise<boolean> {
    return (
      (await this.users.phoneTaken(tenantId, mobile)) || (await this.users.usernameAmong(tenantId, mobileSpellings(mobile), binder?.id))
    );
  }

  /**
   * Fails with the error registration would give for the identity itself: invalid, taken (a look-alike
   * included), or invisible characters, a quoted local part or mixed scripts in a new one. Anything that
   * sends a code for a registration asks this first, so no code goes to an address that could never register.
   */
  async assertRegistrable(input: Pick<NewUser, 'tenant' | 'email' | 'username' | 'mobile' | 'fields'>): Promise<void> {
    await this.assertAvailable(input);
    this.assertNewIdentity(input);
  }

  async register(input: NewUser): Promise<User> {
    const normalized = this.normalize(input);
    this.assertPasswordAllowed(input);
    await this.assertRegistrable(input);
    const claims = input.claims ?? [];
    await this.checkClaims(input, claims);
    const passwordHash = input.password === undefined ? null : await this.hasher.hash(input.password, input.fields?.password ?? 'password');
    const now = this.clock.now();
    const fields: NewUserRow = {
      tenantId: input.tenant.id,
      email: input.email ?? null,
      username: input.username ?? null,
      ...normalized,
      passwordHash,
      status: input.status ?? UserStatus.Active,
      emailVerified: claims.some((claim) => claim.provesEmail),
      phone: input.phone ?? input.mobile ?? null,
      phoneNormalized: input.mobile ?? null,
      registerSource: input.registerSource,
      profile: input.profile ?? {},
      loginsCount: 0,
      tokenEpoch: 0,
      createdAt: now,
      updatedAt: now,
    };
    try {
      // The insert comes first so that a racing duplicate fails on the unique index (EMAIL_TAKEN)
      // rather than on an already-spent claim. Every column is written here, so the row need not be read back.
      const id = await this.transactions.run(async (transaction) => {
        const inserted = await this.users.insert(transaction, fields);
        for (const claim of claims) {
          await claim.spend(transaction, inserted);
        }
        await this.events.record(
          transaction,
          UserEventType.Created,
          { user: { ...fields, id: inserted }, tenant: input.tenant },
          input.registerSource,
        );
        return inserted;
      });
      const user: User = Object.assign(new User(), fields, { id });
      delete user.passwordHash;
      return user;
    } catch (error) {
      throw this.duplicateError(error, input) ?? error;
    }
  }

  /**
   * Gives a user who has no identity yet (no email, username, mobile or password: one a device login made)
   * an email or username and a password, keeping the id, under the rules of `register`: normalisation,
   * look-alikes, common passwords, and duplicates decided by the unique indexes. `claims` are spent in the
   * same transaction. Null when the user has an identity by now (a racing completion won).
   */
  async completeIdentity(user: Pick<User, 'id'>, input: IdentityCompletion): Promise<User | null> {
    const normalized = this.normalize(input);
    this.assertPasswordAllowed(input);
    await this.assertRegistrable(input);
    const claims = input.claims ?? [];
    await this.checkClaims(input, claims);
    const change: IdentityChange = {
      email: input.email ?? null,
      username: input.username ?? null,
      ...normalized,
      passwordHash: await this.hasher.hash(input.password, input.fields?.password ?? 'password'),
      emailVerified: claims.some((claim) => claim.provesEmail),
      ...(input.profile === undefined ? {} : { profile: input.profile }),
      updatedAt: this.clock.now(),
    };
    try {
      return await this.transactions.run(async (transaction) => {
        if (!(await this.users.completeIdentity(transaction, user.id, change))) {
          return null;
        }
        for (const claim of claims) {
          await claim.spend(transaction, user.id);
        }
        return this.recordChange(transaction, UserEventType.Updated, user.id, input.source);
      });
    } catch (error) {
      throw this.duplicateError(error, input) ?? error;
    }
  }

  /**
   * A racing registration of the same email may have spent a claim between our duplicate check and
   * this one; the client must then hear "taken", not "wrong code", so availability is asked again.
   */
  private async checkClaims(
    input: Pick<NewUser, 'tenant' | 'email' | 'username' | 'mobile' | 'fields'>,
    claims: RegistrationClaim[],
  ): Promise<void> {
    for (const claim of claims) {
      try {
        await claim.check();
      } catch (error) {
        await this.assertAvailable(input);
        throw error;
      }
    }
  }

  /**
   * Checks a password for a login by email or username. An unknown user costs the same bcrypt
   * comparison as a known one, so timing does not tell which accounts exist; the account's `budget`
   * counts the failures (and may refuse the try), whichever of its names was typed. The account's review
   * status is revealed only to the right password.
   */
  async authenticate(input: Credentials): Promise<User> {
    const keys = this.loginKeys(input);
    const user = await this.findForLogin(input.tenant.id, keys);
    const attempts = input.budget?.(user ? `user:${user.id}` : unmatchedAccount(input, keys));
    await attempts?.reserve();
    let settled = false;
    try {
      const matches = await this.hasher.verify(input.password, user?.passwordHash ?? (await this.dummyHash()));
      settled = true;
      if (!user || !matches) {
        const remaining = (await attempts?.recordFailure()) ?? 0;
        throw new DomainError(DomainErrorCode.CREDENTIALS_INVALID, { params: { remaining } });
      }
      await attempts?.recordSuccess();
    } finally {
      if (!settled) {
        await attempts?.release();
      }
    }
    this.assertActive(user);
    await this.upgradeHash(user, input.password);
    Object.assign(user, await this.recordLogin(user.id, { source: input.source, ip: input.ip }));
    delete user.passwordHash;
    return user;
  }

  /**
   * Replaces a hash that just matched but is not bcrypt at BCRYPT_COST (an imported `$2y$` or argon2 hash, or
   * an older cost) by one that is, unless the password changed in between. A password bcrypt cannot take
   * (over 72 bytes, matched by an argon2 hash) keeps the hash it has. Not an event: nothing an app sees changed.
   */
  private async upgradeHash(user: User, password: string): Promise<void> {
    const current = user.passwordHash;
    if (!current || !this.hasher.needsUpgrade(current)) {
      return;
    }
    let replacement: string;
    try {
      replacement = await this.hasher.hash(password);
    } catch (error) {
      if (error instanceof DomainError) {
        return;
      }
      throw error;
    }
    await this.users.replacePasswordHash(user.id, current, replacement);
  }

  /** Throws ACCOUNT_PENDING_REVIEW, ACCOUNT_REJECTED or ACCOUNT_DISABLED for a user who may not sign in. */
  assertActive(user: User): void {
    if (user.status === UserStatus.PendingReview) {
      throw new DomainError(DomainErrorCode.ACCOUNT_PENDING_REVIEW);
    }
    if (user.status === UserStatus.Rejected) {
      throw new DomainError(DomainErrorCode.ACCOUNT_REJECTED);
    }
    if (user.status === UserStatus.Disabled) {
      throw new DomainError(DomainErrorCode.ACCOUNT_DISABLED);
    }
  }

  /** The user of the tenant with this email (compared normalised), or null. */
  findByEmail(tenantId: number, email: string): Promise<User | null> {
    return isValidEmail(email) ? this.users.findByEmail(tenantId, normalizeEmail(email)) : Promise.resolve(null);
  }

  /** Merges `changes` into the user's profile; the dialect validates them. `source` is what made the change (`profile`). */
  async updateProfile(
    user: Pick<User, 'id' | 'profile'>,
    changes: Record<string, unknown>,
    source: string,
  ): Promise<Record<string, unknown>> {
    const profile = { ...user.profile, ...changes };
    await this.transactions.run(async (transaction) => {
      if (await this.users.setProfile(transaction, user.id, profile, this.clock.now())) {
        await this.recordChange(transaction, UserEventType.Updated, user.id, source);
      }
    });
    return profile;
  }

  /**
   * Deletes the user, inside `transaction` so that it goes with the work that decided it; rows of the user in
   * other tables go by their foreign keys, and tokens stop working since their user is gone. The `user.deleted`
   * event shows the user as it was. False when there was none.
   */
  async delete(id: number, transaction: Transaction, source: string): Promise<boolean> {
    const user = await this.users.findWithTenant(transaction, id);
    if (!user || !(await this.users.delete(transaction, id))) {
      return false;
    }
    await this.events.record(transaction, UserEventType.Deleted, { user, tenant: user.tenant }, source);
    return true;
  }

  /**
   * Records `user.updated` for a change a dialect made in its own tables to what an app calls the user's
   * bindings (a WeChat or device binding won or lost), inside the transaction of that write.
   */
  async recordUpdate(transaction: Transaction, userId: number, source: string): Promise<void> {
    await this.recordChange(transaction, UserEventType.Updated, userId, source);
  }

  /** The user of the tenant with this mobile (E.164), or null. */
  findByMobile(tenantId: number, mobile: string): Promise<User | null> {
    return this.users.findByPhone(tenantId, mobile);
  }

  /**
   * Sets (or with null clears) the mobile a user signs in with, inside `transaction` when given so that it
   * binds with the rest of that work; PHONE_TAKEN when another user of the tenant has it, or has it as a
   * username (`mobileSpellings`), which logins by username-or-mobile would try first.
   */
  async setMobile(
    user: Pick<User, 'id'>,
    mobile: string | null,
    options: { transaction?: Transaction; field?: string; source: string },
  ): Promise<void> {
    if (mobile !== null && (await this.users.usernameAmongOthers(options.transaction, user.id, mobileSpellings(mobile)))) {
      throw new DomainError(DomainErrorCode.PHONE_TAKEN, { field: options.field ?? 'mobile' });
    }
    const write = async (transaction: Transaction) => {
      await this.users.setPhone(transaction, user.id, mobile, mobile, this.clock.now());
      await this.recordChange(transaction, UserEventType.Updated, user.id, options.source);
    };
    try {
      await (options.transaction ? write(options.transaction) : this.transactions.run(write));
    } catch (error) {
      if (this.users.takenBy(error) === 'phone') {
        throw new DomainError(DomainErrorCode.PHONE_TAKEN, { field: options.field ?? 'mobile' });
      }
      throw error;
    }
  }

  /** Whether the user has a password at all (one made by phone or WeChat may not). */
  async hasPassword(user: Pick<User, 'id'>): Promise<boolean> {
    return (await this.users.passwordHashOf(user.id)) !== null;
  }

  /** Whether `password` is the user's; false for a user without a password. Counts no attempt: callers hold a signed-in user. */
  async passwordMatches(user: Pick<User, 'id'>, password: string): Promise<boolean> {
    const hash = await this.users.passwordHashOf(user.id);
    return hash !== null && (await this.hasher.verify(password, hash));
  }

  /**
   * Replaces the user's password under the tenant's common-password rule. Ending sessions is the
   * caller's choice (a reset ends all of them, a change all but the caller's): see `endSessions`.
   * `source` is what made the change (`password.change`, `password.reset`); `field` names the password in errors.
   */
  async setPassword(user: Pick<User, 'id'>, password: string, tenant: Tenant, options: { source: string; field?: string }): Promise<void> {
    const field = options.field ?? 'password';
    if (!allowsCommonPasswords(tenant) && isCommonPassword(password)) {
      throw new DomainError(DomainErrorCode.PASSWORD_TOO_WEAK, { field, params: { rule: 'common' } });
    }
    const hash = await this.hasher.hash(password, field);
    await this.transactions.run(async (transaction) => {
      if (await this.users.setPasswordHash(transaction, user.id, hash, this.clock.now())) {
        await this.recordChange(transaction, UserEventType.Updated, user.id, options.source);
      }
    });
  }

  /** A user of the tenant by id, or null. */
  find(tenantId: number, id: number): Promise<User | null> {
    return Number.isSafeInteger(id) ? this.users.find(tenantId, id) : Promise.resolve(null);
  }

  /**
   * The user a session or token issued under `epoch` names, while it still holds: null for an unknown or
   * inactive user, and once the user's sessions were ended since. Read on every check, never cached, so
   * that an end made through any instance or the CLI holds at once everywhere.
   */
  async findSignedIn(tenantId: number, id: number, epoch: number): Promise<User | null> {
    const user = await this.find(tenantId, id);
    return user?.status === UserStatus.Active && user.tokenEpoch === epoch ? user : null;
  }

  /** Ends every session, refresh-token family and access token of the user, in every dialect; false when there is no such user. */
  endSessions(id: number): Promise<boolean> {
    return Number.isSafeInteger(id) ? this.users.endSessions(id) : Promise.resolve(false);
  }

  private async findForLogin(tenantId: number, keys: LoginKey[]): Promise<User | null> {
    for (const key of keys) {
      const user = await this.users.findWithPasswordHash(tenantId, key);
      if (user) {
        return user;
      }
    }
    return null;
  }

  /** The normalised identifiers a login names, in the order they are tried; none when it cannot name any account. */
  private loginKeys(input: Credentials): LoginKey[] {
    if (input.email !== undefined) {
      return isValidEmail(input.email) ? [{ emailNormalized: normalizeEmail(input.email) }] : [];
    }
    const byUsername =
      input.username !== undefined && !hasForbiddenUsernameCharacters(input.username)
        ? [{ usernameNormalized: normalizeUsername(input.username) }]
        : [];
    return [...byUsername, ...(input.mobile === undefined ? [] : [{ phoneNormalized: input.mobile }])];
  }

  /** A hash of a random password at the configured cost, compared against when no user matches. */
  private dummyHash(): Promise<string> {
    this.dummy ??= this.hasher.hash(randomBytes(16).toString('hex'));
    return this.dummy;
  }

  /**
   * Counts a sign-in made without `authenticate` (a code, a device, a new user's first token), from `ip` when
   * known, and records its `user.login` event in the same transaction: every counted sign-in has one.
   */
  recordLogin(id: number, login: LoginSource): Promise<Pick<User, 'loginsCount' | 'lastLoginAt' | 'lastIp'>> {
    return this.transactions.run(async (transaction) => {
      const user = await this.users.countLogin(transaction, id, { at: this.clock.now(), ip: login.ip ?? null });
      await this.events.record(transaction, UserEventType.Login, { user, tenant: user.tenant }, login.source);
      return { loginsCount: user.loginsCount, lastLoginAt: user.lastLoginAt, lastIp: user.lastIp };
    });
  }

  /** Users of one tenant, or of every tenant, with their tenants. */
  list(tenantId?: number): Promise<User[]> {
    return this.users.list(tenantId);
  }

  /**
   * Sets a user's status, only when it is `from` if given (`changed` says whether it was, and is false when the
   * user has that status already); null when there is no such user. Any status but active ends every session
   * and token the user has. A change records its event in the same transaction: `user.approved` or
   * `user.rejected` for a user leaving review, else `user.updated`.
   */
  async setStatus(id: number, request: StatusChangeRequest): Promise<{ user: User; changed: boolean } | null> {
    if (!Number.isSafeInteger(id)) {
      return null;
    }
    const { status, from, source } = request;
    return this.transactions.run(async (transaction) => {
      const before = await this.users.findWithTenant(transaction, id);
      if (!before) {
        return null;
      }
      // The UPDATE is conditional on the status just read, so a change racing in between makes this one a no-op.
      const applies = before.status !== status && (from === undefined || before.status === from);
      const changed =
        applies &&
        (await this.users.setStatus(transaction, {
          id,
          status,
          from: before.status,
          endSessions: status !== UserStatus.Active,
          updatedAt: this.clock.now(),
        }));
      if (!changed) {
        return { user: before, changed };
      }
      const user = await this.recordChange(transaction, statusEventType(before.status, status), id, source);
      return user ? { user, changed } : null;
    });
  }

  /** Records a `type` event of the user as it is now, read inside `transaction`; the user, or null when there is none. */
  private async recordChange(transaction: Transaction, type: UserEventType, id: number, source: string): Promise<UserWithTenant | null> {
    const user = await this.users.findWithTenant(transaction, id);
    if (user) {
      await this.events.record(transaction, type, { user, tenant: user.tenant }, source);
    }
    return user;
  }

  /** NIST SP 800-63B: a password from the list of common ones is refused, unless the tenant allows them. */
  private assertPasswordAllowed(input: Pick<NewUser, 'tenant' | 'password' | 'fields'>): void {
    if (input.password !== undefined && !allowsCommonPasswords(input.tenant) && isCommonPassword(input.password)) {
      throw new DomainError(DomainErrorCode.PASSWORD_TOO_WEAK, { field: input.fields?.password ?? 'password', params: { rule: 'common' } });
    }
  }

  /**
   * A new identity may hold nothing invisible and not mix scripts (UTS #39 "moderately restrictive").
   * Checked after availability, so that a look-alike of a taken name hears "taken", the more useful
   * answer; logins still find the names registered before these rules.
   */
  private assertNewIdentity(input: Pick<NewUser, 'email' | 'username' | 'fields'>): void {
    if (input.email !== undefined && !isAllowedNewEmail(input.email)) {
      throw new DomainError(DomainErrorCode.EMAIL_INVALID, { field: input.fields?.email ?? 'email' });
    }
    if (input.username !== undefined && !isAllowedNewUsername(input.username)) {
      throw new DomainError(DomainErrorCode.USERNAME_INVALID, { field: input.fields?.username ?? 'username' });
    }
  }

  private normalize(input: Pick<NewUser, 'email' | 'username' | 'fields'>) {
    if (input.email !== undefined && !isValidEmail(input.email)) {
      throw new DomainError(DomainErrorCode.EMAIL_INVALID, { field: input.fields?.email ?? 'email' });
    }
    const usernameNormalized = input.username === undefined ? null : normalizeUsername(input.username);
    if (
      input.username !== undefined &&
      (hasForbiddenUsernameCharacters(input.username) || characterLength(usernameNormalized ?? '') > USERNAME_COLUMN_LENGTH)
    ) {
      throw new DomainError(DomainErrorCode.USERNAME_INVALID, { field: input.fields?.username ?? 'username' });
    }
    const emailSkeletonDigest = input.email === undefined ? null : emailSkeleton(input.email);
    if (input.email !== undefined && emailSkeletonDigest === null) {
      throw new DomainError(DomainErrorCode.EMAIL_INVALID, { field: input.fields?.email ?? 'email' });
    }
    return {
      emailNormalized: input.email === undefined ? null : normalizeEmail(input.email),
      emailSkeleton: emailSkeletonDigest,
      usernameNormalized,
      usernameSkeleton: input.username === undefined ? null : usernameSkeleton(input.username),
    };
  }

  /** The one place a unique-index violation becomes the domain's duplicate error. */
  private duplicateError(error: unknown, input: Pick<NewUser, 'fields'>): DomainError | undefined {
    switch (this.users.takenBy(error)) {
      case 'username':
        return new DomainError(DomainErrorCode.USERNAME_TAKEN, { field: input.fields?.username ?? 'username' });
      case 'email':
        return new DomainError(DomainErrorCode.EMAIL_TAKEN, { field: input.fields?.email ?? 'email' });
      case 'phone':
        return new DomainError(DomainErrorCode.PHONE_TAKEN, { field: input.fields?.mobile ?? 'mobile' });
      default:
        return undefined;
    }
  }
}

/** The event a status change is: leaving review is an approval or a rejection, anything else an update. */
function statusEventType(from: UserStatus, to: UserStatus): UserEventType {
  if (from === UserStatus.PendingReview && to === UserStatus.Active) {
    return UserEventType.Approved;
  }
  return from === UserStatus.PendingReview && to === UserStatus.Rejected ? UserEventType.Rejected : UserEventType.Updated;
}

/**
 * The budget key of a login no user matched: its first normalised name, with its kind so that it never reads
 * as `user:<id>`; a name that cannot name any account counts as typed.
 */
function unmatchedAccount(input: Credentials, [key]: LoginKey[]): string {
  if (key === undefined) {
    return `typed:${input.email ?? input.username ?? input.mobile ?? ''}`;
  }
  if ('emailNormalized' in key) {
    return `email:${key.emailNormalized}`;
  }
  return 'usernameNormalized' in key ? `username:${key.usernameNormalized}` : `mobile:${key.phoneNormalized}`;
}
