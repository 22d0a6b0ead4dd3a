import { Injectable } from '@nestjs/common';
import { Clock } from '../../../clock/clock';
import { Transaction } from '../../../database/transaction';
import { Tenant } from '../../../users/entities/tenant.entity';
import { EXTERNAL_ID_MAX_LENGTH, UserStatus } from '../../../users/entities/user.entity';
import {
  ImportConflict,
  ImportedUser,
  ImportItem,
  ImportReader,
  ImportRecord,
  ImportSource,
  ImportSourceOptions,
} from '../../../users/import/import-source';
import { characterLength } from '../../../users/password-rules';
import { normalizeMobile } from '../../../users/phone';
import { JSONAPI_USERS_TENANT_KIND } from '../jsonapi-users.tenant-kind';
import { UserWechat } from '../wechat/user-wechat.entity';
import { NewUserWechat, UserWechatsStore, WechatIdColumn } from '../wechat/user-wechats.store';
import { DiscuzqDatabase, DiscuzqUserRow, DiscuzqWechatRow } from './discuzq-database';

/** Discuz! Q's `users.status` and what each becomes; the original refuses a login to all but 0 (docs/migrating.md). */
const STATUSES: ReadonlyMap<number, UserStatus> = new Map([
  [0, UserStatus.Active],
  [1, UserStatus.Disabled],
  [2, UserStatus.PendingReview],
  [3, UserStatus.Rejected],
  // "Ignored" is a review left undecided: still approvable or rejectable here, and refused a login meanwhile.
  [4, UserStatus.PendingReview],
]);

/** Discuz! Q's usual time zone, Asia/Shanghai (no daylight saving). */
export const DISCUZQ_DEFAULT_TIMEZONE = '+08:00';
const OFFSET = /^[+-](0\d|1[0-4]):[0-5]\d$/;
const PREFIX = /^[A-Za-z0-9_]{0,32}$/;
const DATETIME = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})/;
/** What people write inside a phone number and `normalizeMobile` does not read: '+86 138 0013 8003', '138-0013-8003'. */
const PHONE_PUNCTUATION = /[\s\-.()]/g;
/** bigint unsigned's longest id. */
const ID_DIGITS = 20;

/** The binding a record carries, as `jsonapi_user_wechats` holds it (NULL, never '', for an absent id). */
type WechatAttachment = Omit<NewUserWechat, 'tenantId' | 'userId' | 'createdAt' | 'updatedAt'> & { extraRows: string[] };

const ID_COLUMNS: readonly [WechatIdColumn, string][] = [
  ['mpOpenid', 'mp_openid'],
  ['devOpenid', 'dev_openid'],
  ['minOpenid', 'min_openid'],
  ['unionid', 'unionid'],
];

/**
 * `--from discuzq --db mysql://…`: a Discuz! Q v1/v2 forum's `users` and `user_wechats`, read in place and
 * never written, into the site (jsonapi-users). The external id is `discuzq:<host>:<port>/<database>[/<prefix>]:<id>`:
 * two forums imported into one site never share one, so a second forum's user 1 is never taken for the first's.
 */
@Injectable()
export class DiscuzqImportSource implements ImportSource {
  readonly name = 'discuzq';
  readonly tenantKinds = [JSONAPI_USERS_TENANT_KIND];

  constructor(
    private readonly wechats: UserWechatsStore,
    private readonly clock: Clock,
  ) {}

  async open(options: ImportSourceOptions): Promise<ImportReader> {
    if (options.db === undefined) {
      throw new Error('--from discuzq needs --db mysql://user:password@host:port/database');
    }
    if (options.file !== undefined) {
      throw new Error('--from discuzq reads --db, not --file');
    }
    if (!options.db.startsWith('mysql://')) {
      throw new Error('--db must be a mysql:// URL');
    }
    const prefix = options.prefix ?? '';
    if (!PREFIX.test(prefix)) {
      throw new Error('--prefix must be up to 32 letters, digits or "_"');
    }
    const timezone = options.timezone ?? DISCUZQ_DEFAULT_TIMEZONE;
    if (!OFFSET.test(timezone)) {
      throw new Error('--timezone must be an offset such as +08:00');
    }
    const origin = sourceKey(options.db, prefix);
    if (characterLength(`discuzq:${origin}:`) + ID_DIGITS > EXTERNAL_ID_MAX_LENGTH) {
      throw new Error(`--db host and database name too long for an external id of ${EXTERNAL_ID_MAX_LENGTH} characters`);
    }
    const database = await DiscuzqDatabase.open(options.db, prefix);
    return new DiscuzqReader(database, await database.countUsers(), origin, timezone, this.wechats, this.clock);
  }
}

/**
 * Which forum the rows come from: the server (lower-case host, port, default 3306), the database and the table
 * prefix, as `--db` and `--prefix` name them. A re-run from the same place finds its users again.
 */
function sourceKey(url: string, prefix: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('--db must be a mysql:// URL');
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  if (database === '' || database.includes('/')) {
    throw new Error('--db must name the database: mysql://user:password@host:port/database');
  }
  const origin = `${parsed.hostname.toLowerCase()}:${parsed.port || '3306'}/${database}`;
  return prefix === '' ? origin : `${origin}/${prefix}`;
}

class DiscuzqReader implements ImportReader {
  /** WeChat ids this run has given a binding, so that two records never bind one id. */
  private readonly claimed = new Map<string, string>();

  constructor(
    private readonly database: DiscuzqDatabase,
    readonly total: number,
    private readonly origin: string,
    private readonly timezone: string,
    private readonly wechats: UserWechatsStore,
    private readonly clock: Clock,
  ) {}

  async *batches(size: number): AsyncIterable<ImportItem[]> {
    for (let after = '0'; ;) {
      const users = await this.database.usersAfter(after, size);
      if (users.length === 0) {
        return;
      }
      const bindings = new Map<string, DiscuzqWechatRow[]>();
      for (const row of await this.database.wechatsOf(users.map((user) => user.id))) {
        bindings.set(row.user_id, [...(bindings.get(row.user_id) ?? []), row]);
      }
      yield users.map((user) => this.item(user, bindings.get(user.id) ?? []));
      after = users[users.length - 1].id;
    }
  }

  private item(user: DiscuzqUserRow, wechats: DiscuzqWechatRow[]): ImportItem {
    const ref = { id: user.id };
    const status = user.status === null ? undefined : STATUSES.get(user.status);
    if (status === undefined) {
      return { ...ref, error: `status ${user.status ?? 'NULL'} is none Discuz! Q defines` };
    }
    const record: ImportRecord = {
      ref,
      externalId: `discuzq:${this.origin}:${user.id}`,
      passwordHash: user.password === '' ? null : user.password,
      status,
      // A zero or NULL created_at is no time at all: the user gets the import's time, as a JSONL line without one.
      createdAt: this.time(user.created_at),
      lastLoginAt: this.time(user.login_at) ?? null,
      lastIp: user.last_login_ip === '' ? null : user.last_login_ip,
      profile: user.register_reason === '' ? {} : { registerReason: user.register_reason },
    };
    if (user.username !== '') {
      record.username = user.username;
    }
    const mobile = user.mobile.replace(PHONE_PUNCTUATION, '');
    if (mobile !== '' && normalizeMobile(mobile) === null) {
      record.warnings = [`mobile ${JSON.stringify(user.mobile)} is not a mobile number: imported without it`];
    } else if (mobile !== '') {
      record.phone = mobile;
    }
    const binding = wechats.find((row) => ID_COLUMNS.some(([, column]) => row[column as keyof DiscuzqWechatRow] !== ''));
    if (binding) {
      record.attachment = {
        mpOpenid: binding.mp_openid || null,
        devOpenid: binding.dev_openid || null,
        minOpenid: binding.min_openid || null,
        unionid: binding.unionid || null,
        nickname: binding.nickname,
        sex: binding.sex,
        province: binding.province,
        city: binding.city,
        country: binding.country,
        headimgurl: binding.headimgurl,
        extraRows: wechats.filter((row) => row !== binding).map((row) => row.id),
      } satisfies WechatAttachment;
    }
    return record;
  }

  /** A local DATETIME of the forum as epoch milliseconds; undefined for NULL or MySQL's zero date. */
  private time(value: string | null): number | undefined {
    const parts = value === null ? null : DATETIME.exec(value);
    if (!parts) {
      return undefined;
    }
    const time = Date.parse(`${parts[1]}T${parts[2]}${this.timezone}`);
    return Number.isNaN(time) ? undefined : time;
  }

  /**
   * The records' WeChat bindings: added, or written over the user's binding when a re-run brings a changed one.
   * An id another user holds here (or another record of this run) leaves that binding out, listed; the user is
   * imported all the same and signs in by password or mobile.
   */
  async attach(transaction: Transaction | null, tenant: Tenant, users: readonly ImportedUser[]): Promise<ImportConflict[]> {
    const conflicts: ImportConflict[] = [];
    const bound = users.filter((user) => user.record.attachment !== undefined);
    const holders = new Map<WechatIdColumn, Map<string, number>>();
    for (const [column] of ID_COLUMNS) {
      const values = bound.map((user) => (user.record.attachment as WechatAttachment)[column]).filter((value) => value !== null);
      holders.set(column, await this.wechats.holders(tenant.id, column, values));
    }
    const accepted: { user: ImportedUser; binding: WechatAttachment }[] = [];
    for (const user of bound) {
      const binding = user.record.attachment as WechatAttachment;
      const ref = user.record.ref;
      for (const extra of binding.extraRows) {
        conflicts.push({ ...ref, reason: `user_wechats row ${extra} is a second WeChat binding of the user: left out` });
      }
      const external = user.record.externalId ?? '';
      const taken = ID_COLUMNS.find(([column]) => {
        const value = binding[column];
        if (value === null) {
          return false;
        }
        const holder = holders.get(column)?.get(value);
        const claimer = this.claimed.get(`${column}:${value}`);
        return (holder !== undefined && holder !== user.userId) || (claimer !== undefined && claimer !== external);
      });
      if (taken) {
        conflicts.push({ ...ref, reason: `WeChat ${taken[1]} ${binding[taken[0]]} is bound to another user: binding left out` });
        continue;
      }
      for (const [column] of ID_COLUMNS) {
        const value = binding[column];
        if (value !== null) {
          this.claimed.set(`${column}:${value}`, external);
        }
      }
      accepted.push({ user, binding });
    }
    if (transaction) {
      await this.write(transaction, tenant, accepted);
    }
    return conflicts;
  }

  private async write(
    transaction: Transaction,
    tenant: Tenant,
    accepted: { user: ImportedUser; binding: WechatAttachment }[],
  ): Promise<void> {
    const userIds = accepted.map(({ user }) => user.userId).filter((id) => id !== null);
    const existing = new Map<number, UserWechat>((await this.wechats.findByUsers(transaction, userIds)).map((row) => [row.userId, row]));
    const now = this.clock.now();
    const fresh: NewUserWechat[] = [];
    for (const { user, binding } of accepted) {
      const columns = {
        mpOpenid: binding.mpOpenid,
        devOpenid: binding.devOpenid,
        minOpenid: binding.minOpenid,
        unionid: binding.unionid,
        nickname: binding.nickname,
        sex: binding.sex,
        province: binding.province,
        city: binding.city,
        country: binding.country,
        headimgurl: binding.headimgurl,
      };
      const userId = user.userId as number;
      const current = existing.get(userId);
      if (current) {
        await this.wechats.update(transaction, current.id, { ...columns, updatedAt: now });
      } else {
        fresh.push({ ...columns, tenantId: tenant.id, userId, createdAt: now, updatedAt: now });
      }
    }
    await this.wechats.insertMany(transaction, fresh);
  }

  close(): Promise<void> {
    return this.database.close();
  }
}
