import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../../clock/clock';
import { uniqueViolationMessage } from '../../database/database-errors';
import { Transaction } from '../../database/transaction';
import { TransactionRunnerService } from '../../database/transaction-runner.service';
import { UserEvent, UserEventsService } from '../../events/user-events.service';
import { UserEventType } from '../../events/user-event';
import { Tenant } from '../entities/tenant.entity';
import { EXTERNAL_ID_MAX_LENGTH, PASSWORD_HASH_MAX_LENGTH, USERNAME_COLUMN_LENGTH, UserStatus } from '../entities/user.entity';
import { emailSkeleton, usernameSkeleton } from '../identity';
import { hasForbiddenUsernameCharacters, isValidEmail, normalizeEmail, normalizeUsername } from '../normalization';
import { isSupportedHash } from '../password-hasher.service';
import { characterLength } from '../password-rules';
import { mobileSpellings, normalizeMobile } from '../phone';
import { UsersStore } from '../users.store';
import { ImportConflict, ImportedUser, ImportItem, ImportReader, ImportRecord, ImportRef, refOf } from './import-source';
import { BatchIdentities, IdentityOwner, ImportedBefore, ImportRow, ImportStore } from './import.store';

/** What `users import --json` prints. */
export interface ImportSummary {
  imported: number;
  updated: number;
  skipped: number;
  conflicts: ImportConflict[];
  /** What was left out of users imported all the same (an unreadable mobile); present when there is any. */
  warnings?: ImportConflict[];
  dryRun?: true;
}

export interface ImportRun {
  tenant: Tenant;
  /** The source's `--from` name: users are registered as `import:<name>`, and their events say so. */
  sourceName: string;
  reader: ImportReader;
  batchSize: number;
  dryRun: boolean;
  /** Called after each batch with the number of records read so far. */
  onProgress?: (done: number) => void;
}

/** A record ready to write: normalised, keyed and digested. */
interface Prepared {
  record: ImportRecord;
  row: ImportRow;
  /** The user imported before under the same external id, if any. */
  before?: ImportedBefore;
}

/** Who holds an identity: a stored user, or a record of this run. */
interface Owner {
  userId: number | null;
  externalId: string | null;
}

type IdentityKind = 'email' | 'emailSkeleton' | 'username' | 'usernameSkeleton' | 'phone';

/**
 * The import engine shared by every source: normalises each record as registration would, keys it by its
 * external id, skips what a former run imported unchanged, lists conflicts, and writes each batch in one
 * transaction with multi-row INSERTs, the source's attachments and the users' events.
 */
@Injectable()
export class UsersImportService {
  constructor(
    private readonly store: ImportStore,
    private readonly users: UsersStore,
    private readonly transactions: TransactionRunnerService,
    private readonly events: UserEventsService,
    private readonly clock: Clock,
  ) {}

  async run(run: ImportRun): Promise<ImportSummary> {
    const summary: ImportSummary = { imported: 0, updated: 0, skipped: 0, conflicts: [], ...(run.dryRun ? { dryRun: true as const } : {}) };
    const claims = new Map<string, Owner>();
    let done = 0;
    for await (const items of run.reader.batches(run.batchSize)) {
      await this.batch(run, items, claims, summary);
      done += items.length;
      run.onProgress?.(done);
    }
    return summary;
  }

  private async batch(run: ImportRun, items: ImportItem[], claims: Map<string, Owner>, summary: ImportSummary): Promise<void> {
    const now = this.clock.now();
    const prepared: Prepared[] = [];
    const seen = new Map<string, ImportRef>();
    for (const item of items) {
      if ('error' in item) {
        summary.conflicts.push({ ...refOf(item), reason: item.error });
        continue;
      }
      const result = prepare(item, run.tenant.id, `import:${run.sourceName}`, now);
      if (typeof result === 'string') {
        summary.conflicts.push({ ...refOf(item.ref), reason: result });
        continue;
      }
      const earlier = seen.get(result.row.externalId);
      if (earlier) {
        summary.conflicts.push({ ...refOf(item.ref), reason: `external id ${result.row.externalId} repeats ${describeRef(earlier)}` });
        continue;
      }
      seen.set(result.row.externalId, item.ref);
      prepared.push(result);
    }
    const before = new Map(
      (
        await this.store.importedBefore(
          null,
          run.tenant.id,
          prepared.map((p) => p.row.externalId),
        )
      ).map((user) => [user.externalId, user]),
    );
    const changed: Prepared[] = [];
    for (const candidate of prepared) {
      candidate.before = before.get(candidate.row.externalId);
      if (unchanged(candidate)) {
        summary.skipped++;
        warn(candidate, summary);
      } else {
        changed.push(candidate);
      }
    }
    const owners = indexOwners(await this.store.owners(run.tenant.id, batchIdentities(changed)));
    const accepted: Prepared[] = [];
    for (const candidate of changed) {
      const reason = checkIdentities(candidate, owners, claims);
      if (reason) {
        summary.conflicts.push({ ...refOf(candidate.record.ref), reason });
      } else {
        claim(candidate, claims);
        accepted.push(candidate);
      }
    }
    if (run.dryRun) {
      summary.conflicts.push(...((await run.reader.attach?.(null, run.tenant, accepted.map(imported))) ?? []));
      this.count(accepted, summary);
      return;
    }
    try {
      summary.conflicts.push(...(await this.write(run, accepted, now)));
      this.count(accepted, summary);
    } catch (error) {
      if (!uniqueViolationMessage(error)) {
        throw error;
      }
      // A registration raced the batch to one of its identities: each record alone, so only the loser is left out.
      for (const candidate of accepted) {
        try {
          summary.conflicts.push(...(await this.write(run, [candidate], now)));
          this.count([candidate], summary);
        } catch (single) {
          if (!uniqueViolationMessage(single)) {
            throw single;
          }
          if (await this.ownedMeanwhile(run, candidate, now, summary)) {
            continue;
          }
          const taken = this.users.takenBy(single);
          summary.conflicts.push({
            ...refOf(candidate.record.ref),
            reason: taken ? `${taken} taken meanwhile` : 'an identity was taken meanwhile',
          });
        }
      }
    }
  }

  /**
   * Whether a record that lost a race is the winner's own: another run of the same source (two imports at once)
   * stored it under its external id meanwhile. Then it is skipped, or written over once more if it differs.
   */
  private async ownedMeanwhile(run: ImportRun, candidate: Prepared, now: number, summary: ImportSummary): Promise<boolean> {
    if (candidate.before) {
      return false;
    }
    const [stored] = await this.store.importedBefore(null, run.tenant.id, [candidate.row.externalId]);
    if (!stored) {
      return false;
    }
    candidate.before = stored;
    if (unchanged(candidate)) {
      summary.skipped++;
      warn(candidate, summary);
      return true;
    }
    try {
      summary.conflicts.push(...(await this.write(run, [candidate], now)));
      this.count([candidate], summary);
      return true;
    } catch (error) {
      if (!uniqueViolationMessage(error)) {
        throw error;
      }
      return false;
    }
  }

  private count(accepted: Prepared[], summary: ImportSummary): void {
    for (const candidate of accepted) {
      warn(candidate, summary);
      if (candidate.before) {
        summary.updated++;
      } else {
        summary.imported++;
      }
    }
  }

  /** One transaction: the new users, the changed ones, their attachments and their events. */
  private write(run: ImportRun, accepted: Prepared[], now: number): Promise<ImportConflict[]> {
    return this.transactions.run(async (transaction: Transaction) => {
      const fresh = accepted.filter((candidate) => !candidate.before);
      const ids = await this.store.insert(
        transaction,
        fresh.map((candidate) => candidate.row),
      );
      const events: UserEvent[] = [];
      const written: ImportedUser[] = [];
      for (const candidate of accepted) {
        const { row, before } = candidate;
        if (before) {
          const profile = { ...before.profile, ...row.profile };
          await this.store.update(transaction, { ...row, profile, id: before.id, updatedAt: now }, importedHash(before));
        }
        const id = before ? before.id : ids.get(row.externalId);
        if (id === undefined) {
          throw new Error(`the user imported as ${row.externalId} was not found after its INSERT`);
        }
        written.push({ userId: id, record: candidate.record });
        events.push({
          type: before ? UserEventType.Updated : UserEventType.Created,
          subject: {
            user: {
              id,
              email: row.email,
              username: row.username,
              phoneNormalized: row.phoneNormalized,
              status: row.status,
              createdAt: row.createdAt,
            },
            tenant: run.tenant,
          },
          source: row.registerSource,
        });
      }
      const conflicts = (await run.reader.attach?.(transaction, run.tenant, written)) ?? [];
      await this.events.recordMany(transaction, events);
      return conflicts;
    });
  }
}

/** Whether the source's record is the one the user was last imported from. */
function unchanged({ before, row }: Prepared): boolean {
  return before !== undefined && before.importDigest !== null && recordDigestOf(before.importDigest) === recordDigestOf(row.importDigest);
}

function warn({ record }: Prepared, summary: ImportSummary): void {
  for (const reason of record.warnings ?? []) {
    (summary.warnings ??= []).push({ ...refOf(record.ref), reason });
  }
}

/**
 * The hash the last import wrote, when the user's hash still is that one; undefined when the user (a reset, a
 * sign-in) or unireg (an upgrade) has changed it since, or the digest is older than hash digests.
 */
function importedHash(before: ImportedBefore): string | null | undefined {
  const written = before.importDigest === null ? undefined : hashDigestOf(before.importDigest);
  return written !== undefined && written === hashDigest(before.passwordHash) ? before.passwordHash : undefined;
}

function imported(candidate: Prepared): ImportedUser {
  return { userId: candidate.before?.id ?? null, record: candidate.record };
}

function describeRef(ref: ImportRef): string {
  return 'line' in ref ? `line ${ref.line}` : `id ${ref.id}`;
}

/** Normalises a record as registration would, or says why it cannot be imported. */
function prepare(record: ImportRecord, tenantId: number, registerSource: string, now: number): Prepared | string {
  const { email, username, phone } = record;
  if (email === undefined && username === undefined && phone === undefined) {
    return 'no email, username or phone';
  }
  if (email !== undefined && !isValidEmail(email)) {
    return 'invalid email';
  }
  const emailDigest = email === undefined ? null : emailSkeleton(email);
  if (email !== undefined && emailDigest === null) {
    return 'invalid email';
  }
  const usernameNormalized = username === undefined ? null : normalizeUsername(username);
  if (
    username !== undefined &&
    (hasForbiddenUsernameCharacters(username) ||
      characterLength(username) > USERNAME_COLUMN_LENGTH ||
      characterLength(usernameNormalized ?? '') > USERNAME_COLUMN_LENGTH)
  ) {
    return 'invalid username';
  }
  const mobile = phone === undefined ? null : normalizeMobile(phone);
  if (phone !== undefined && mobile === null) {
    return 'phone is not a mobile number (E.164, or 11 mainland digits)';
  }
  const hash = record.passwordHash ?? null;
  if (hash !== null && (hash.length > PASSWORD_HASH_MAX_LENGTH || !isSupportedHash(hash))) {
    return 'unsupported password hash (bcrypt $2a$/$2b$/$2y$ or argon2 PHC)';
  }
  const emailNormalized = email === undefined ? null : normalizeEmail(email);
  const externalId =
    record.externalId ??
    (emailNormalized !== null
      ? `email:${emailNormalized}`
      : usernameNormalized !== null
        ? `username:${usernameNormalized}`
        : `phone:${mobile}`);
  if (characterLength(externalId) > EXTERNAL_ID_MAX_LENGTH) {
    return `external id longer than ${EXTERNAL_ID_MAX_LENGTH} characters`;
  }
  const row: ImportRow = {
    tenantId,
    externalId,
    importDigest: `${digestOf(externalId, record)}.${hashDigest(hash)}`,
    email: email ?? null,
    emailNormalized,
    emailSkeleton: emailDigest,
    username: username ?? null,
    usernameNormalized,
    usernameSkeleton: username === undefined ? null : usernameSkeleton(username),
    passwordHash: hash,
    status: record.status ?? UserStatus.Active,
    emailVerified: record.emailVerified ?? false,
    phone: phone ?? null,
    phoneNormalized: mobile,
    registerSource,
    profile: record.profile ?? {},
    lastLoginAt: record.lastLoginAt ?? null,
    lastIp: record.lastIp ?? null,
    createdAt: record.createdAt ?? now,
    updatedAt: now,
  };
  return { record, row };
}

/**
 * `users.import_digest` (64 characters) is `<record digest>.<hash digest>`: the record's, which tells a re-run
 * what changed at the source, and the hash's the import wrote, which tells whether the user's hash is still it.
 * Both are truncated SHA-256 (128 and 124 bits): they detect changes, and no one gains by making two collide.
 */
const RECORD_DIGEST_LENGTH = 32;
const HASH_DIGEST_LENGTH = 31;

function recordDigestOf(importDigest: string): string {
  return importDigest.slice(0, RECORD_DIGEST_LENGTH);
}

function hashDigestOf(importDigest: string): string | undefined {
  return importDigest.charAt(RECORD_DIGEST_LENGTH) === '.' ? importDigest.slice(RECORD_DIGEST_LENGTH + 1) : undefined;
}

function hashDigest(hash: string | null): string {
  return createHash('sha256').update(JSON.stringify(hash)).digest('hex').slice(0, HASH_DIGEST_LENGTH);
}

/**
 * SHA-256 of the record as the source gave it, nested keys sorted, so that only a change at the source changes
 * it. The three parts are JSON values, each self-delimiting, so their concatenation reads back one way only.
 */
function digestOf(externalId: string, r: ImportRecord): string {
  const fields = [
    externalId,
    r.email,
    r.username,
    r.phone,
    r.passwordHash,
    r.emailVerified,
    r.status,
    r.createdAt,
    r.lastLoginAt,
    r.lastIp,
  ];
  return createHash('sha256')
    .update(JSON.stringify(fields.map((field) => field ?? null)))
    .update(canonicalJson(r.profile ?? {}))
    .update(canonicalJson(r.attachment ?? null))
    .digest('hex')
    .slice(0, RECORD_DIGEST_LENGTH);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(',')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, field]) => field !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, field]) => `${JSON.stringify(key)}:${canonicalJson(field)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The keys of one identity in the run's claims. */
function key(kind: IdentityKind, value: string): string {
  return `${kind}\u0000${value}`;
}

/** The mobile a username would be read as by logins that take either (`assertAvailable`'s rule). */
function usernameAsMobile(row: ImportRow): string | null {
  return row.usernameNormalized === null ? null : normalizeMobile(row.usernameNormalized);
}

function batchIdentities(candidates: Prepared[]): BatchIdentities {
  const identities: BatchIdentities = {
    emailNormalized: [],
    emailSkeleton: [],
    usernameNormalized: [],
    usernameSkeleton: [],
    phoneNormalized: [],
  };
  for (const { row } of candidates) {
    const add = (list: string[], value: string | null) => value !== null && list.push(value);
    add(identities.emailNormalized, row.emailNormalized);
    add(identities.emailSkeleton, row.emailSkeleton);
    add(identities.usernameNormalized, row.usernameNormalized);
    add(identities.usernameSkeleton, row.usernameSkeleton);
    add(identities.phoneNormalized, row.phoneNormalized);
    add(identities.phoneNormalized, usernameAsMobile(row));
    if (row.phoneNormalized !== null) {
      identities.usernameNormalized.push(...mobileSpellings(row.phoneNormalized));
    }
  }
  return identities;
}

/**
 * Why the record's identities cannot be its own, or undefined. A stored user or an earlier record of this run
 * holding one of them is a conflict, except a look-alike (same skeleton, another name) of a user imported too:
 * both existed at the source, so the earlier keeps the skeleton and this one is imported without it, as users
 * from before skeletons are (docs/architecture.md). A look-alike of a user registered here is a conflict.
 */
function checkIdentities(candidate: Prepared, index: Map<string, Owner>, claims: Map<string, Owner>): string | undefined {
  const { row, before } = candidate;
  const other = (kind: IdentityKind, value: string | null): Owner | undefined => {
    if (value === null) {
      return undefined;
    }
    const owner = claims.get(key(kind, value)) ?? index.get(key(kind, value));
    const self = owner && ((before !== undefined && owner.userId === before.id) || owner.externalId === row.externalId);
    return self ? undefined : owner;
  };
  const whose = (owner: Owner) => (owner.userId !== null ? `user ${owner.userId}` : `the record imported as ${owner.externalId}`);
  let owner = other('email', row.emailNormalized);
  if (owner) {
    return `email taken by ${whose(owner)}`;
  }
  owner = other('username', row.usernameNormalized);
  if (owner) {
    return `username taken by ${whose(owner)}`;
  }
  owner = other('phone', usernameAsMobile(row));
  if (owner) {
    return `username is the mobile of ${whose(owner)}`;
  }
  owner = other('phone', row.phoneNormalized);
  if (owner) {
    return `mobile taken by ${whose(owner)}`;
  }
  for (const spelling of row.phoneNormalized === null ? [] : mobileSpellings(row.phoneNormalized)) {
    owner = other('username', spelling);
    if (owner) {
      return `mobile is the username of ${whose(owner)}`;
    }
  }
  owner = other('emailSkeleton', row.emailSkeleton);
  if (owner) {
    if (owner.externalId === null) {
      return `email looks like that of ${whose(owner)}`;
    }
    row.emailSkeleton = null;
  }
  owner = other('usernameSkeleton', row.usernameSkeleton);
  if (owner) {
    if (owner.externalId === null) {
      return `username looks like that of ${whose(owner)}`;
    }
    row.usernameSkeleton = null;
  }
  return undefined;
}

/** The stored users' identities by key. */
function indexOwners(stored: IdentityOwner[]): Map<string, Owner> {
  const index = new Map<string, Owner>();
  for (const owner of stored) {
    const who = { userId: owner.id, externalId: owner.externalId };
    const put = (kind: IdentityKind, value: string | null) => value !== null && index.set(key(kind, value), who);
    put('email', owner.emailNormalized);
    put('emailSkeleton', owner.emailSkeleton);
    put('username', owner.usernameNormalized);
    put('usernameSkeleton', owner.usernameSkeleton);
    put('phone', owner.phoneNormalized);
  }
  return index;
}

function claim({ row }: Prepared, claims: Map<string, Owner>): void {
  const owner: Owner = { userId: null, externalId: row.externalId };
  const put = (kind: IdentityKind, value: string | null) => value !== null && claims.set(key(kind, value), owner);
  put('email', row.emailNormalized);
  put('emailSkeleton', row.emailSkeleton);
  put('username', row.usernameNormalized);
  put('usernameSkeleton', row.usernameSkeleton);
  put('phone', row.phoneNormalized);
}
