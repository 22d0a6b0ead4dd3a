import type { Connection, RowDataPacket } from 'mysql2/promise';

/** A row of Discuz! Q's `users`, the columns an import reads (database/migrations at tag v2.1.201117). */
export interface DiscuzqUserRow {
  /** bigint unsigned, as text: ids above 2^53 stay exact. */
  id: string;
  username: string;
  /** Laravel bcrypt (`$2y$10$…`), or '' for a user made by phone or WeChat. */
  password: string;
  /** '' or the 11 digits. */
  mobile: string;
  /** 0 normal, 1 banned, 2 awaiting review, 3 rejected, 4 ignored; null in a forum whose column allows it. */
  status: number | null;
  register_reason: string;
  last_login_ip: string;
  /** DATETIMEs in the forum's local time, as text ('YYYY-MM-DD HH:MM:SS'), or null. */
  login_at: string | null;
  created_at: string;
}

/** A row of Discuz! Q's `user_wechats`; '' stands for an absent id. */
export interface DiscuzqWechatRow {
  id: string;
  user_id: string;
  mp_openid: string;
  dev_openid: string;
  min_openid: string;
  unionid: string;
  nickname: string;
  sex: number;
  province: string;
  city: string;
  country: string;
  headimgurl: string;
}

/**
 * The text columns read, NULL read as the original's '' default: an altered forum may allow NULL, and NULL
 * means nothing more there than ''.
 */
const USER_TEXT = ['username', 'password', 'mobile', 'register_reason', 'last_login_ip'] as const;
const WECHAT_TEXT = ['mp_openid', 'dev_openid', 'min_openid', 'unionid', 'nickname', 'province', 'city', 'country', 'headimgurl'] as const;

const USER_COLUMNS = 'id, username, password, mobile, status, register_reason, last_login_ip, login_at, created_at';
const WECHAT_COLUMNS = 'id, user_id, mp_openid, dev_openid, min_openid, unionid, nickname, sex, province, city, country, headimgurl';

/**
 * Read-only access to a Discuz! Q database: one connection, one `READ ONLY` transaction with a consistent
 * snapshot (so a forum still in use is read as of one instant), SELECTs only, users by keyset pagination on id.
 */
export class DiscuzqDatabase {
  private constructor(
    private readonly connection: Connection,
    private readonly users: string,
    private readonly wechats: string,
  ) {}

  static async open(url: string, prefix: string): Promise<DiscuzqDatabase> {
    let connection: Connection;
    try {
      // Loaded here, not with the module: the registry brings this file into every process, and on SQLite
      // nothing else loads the MySQL driver (docs/performance.md, memory).
      const { createConnection } = await import('mysql2/promise');
      connection = await createConnection({
        uri: url,
        dateStrings: true,
        charset: 'utf8mb4',
        supportBigNumbers: true,
        bigNumberStrings: true,
      });
    } catch (error) {
      throw new Error(`cannot connect to the Discuz! Q database: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
    const database = new DiscuzqDatabase(connection, `\`${prefix}users\``, `\`${prefix}user_wechats\``);
    try {
      await connection.query('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      await connection.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
      for (const table of [`${prefix}users`, `${prefix}user_wechats`]) {
        const [found] = await connection.query<RowDataPacket[]>(
          'SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?',
          [table],
        );
        if (found.length === 0) {
          throw new Error(`the database has no table ${table}: is it a Discuz! Q database, and is --prefix right?`);
        }
      }
    } catch (error) {
      await database.close();
      throw error;
    }
    return database;
  }

  async countUsers(): Promise<number> {
    const [rows] = await this.connection.query<RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${this.users}`);
    return Number(rows[0].n);
  }

  /** Up to `limit` users with ids above `after` (decimal text, compared as an integer, never as a double), by id. */
  async usersAfter(after: string, limit: number): Promise<DiscuzqUserRow[]> {
    const [rows] = await this.connection.query<RowDataPacket[]>(
      `SELECT ${USER_COLUMNS} FROM ${this.users} WHERE id > CAST(? AS UNSIGNED) ORDER BY id LIMIT ?`,
      [after, limit],
    );
    return rows.map((row) => ({
      ...(row as DiscuzqUserRow),
      ...Object.fromEntries(USER_TEXT.map((column) => [column, row[column] ?? ''])),
      id: String(row.id),
      status: row.status === null ? null : Number(row.status),
    }));
  }

  /** The WeChat rows bound to these users, by id; rows with no user (0 or NULL) are never bound, so never read. */
  async wechatsOf(userIds: readonly string[]): Promise<DiscuzqWechatRow[]> {
    if (userIds.length === 0) {
      return [];
    }
    const [rows] = await this.connection.query<RowDataPacket[]>(
      `SELECT ${WECHAT_COLUMNS} FROM ${this.wechats} WHERE user_id IN (${userIds.map(() => 'CAST(? AS UNSIGNED)').join(', ')}) ORDER BY id`,
      [...userIds],
    );
    return rows.map((row) => ({
      ...(row as DiscuzqWechatRow),
      ...Object.fromEntries(WECHAT_TEXT.map((column) => [column, row[column] ?? ''])),
      id: String(row.id),
      user_id: String(row.user_id),
      sex: Number(row.sex ?? 0),
    }));
  }

  async close(): Promise<void> {
    await this.connection.query('ROLLBACK').catch(() => undefined);
    await this.connection.end().catch(() => undefined);
  }
}
