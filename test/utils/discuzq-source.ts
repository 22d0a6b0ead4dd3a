import { Connection, createConnection, RowDataPacket } from 'mysql2/promise';

/** The MariaDB/MySQL server a Discuz! Q-shaped source database is made on: always MySQL, as the original is. */
export const DISCUZQ_SERVER_URL = process.env.TEST_DISCUZQ_SERVER_URL ?? 'mysql://root@127.0.0.1:3306';

/** Laravel's documented test hash of "password" (`$2y$10$`), as Discuz! Q stores hashes. */
export const LARAVEL_PASSWORD_HASH = '$2y$10$92IXUNpkjO0rOQ5byMi.Ye4oKoEa3Ro9llC/.og/at2.uheWG/igi';

/** A row of the original's `users`; what is left out takes the column's default. */
/** Ids may be decimal text (above 2^53); null is for a source whose columns allow it (`allowNulls`). */
export interface DiscuzqUserFixture {
  id: number | string;
  username: string | null;
  password?: string | null;
  mobile?: string | null;
  status?: number | null;
  register_reason?: string | null;
  last_login_ip?: string;
  login_at?: string | null;
  created_at?: string | null;
  pay_password?: string;
  realname?: string;
}

export interface DiscuzqWechatFixture {
  user_id: number | string | null;
  mp_openid?: string | null;
  dev_openid?: string | null;
  min_openid?: string | null;
  unionid?: string | null;
  nickname?: string | null;
  sex?: number;
  province?: string;
  city?: string;
  country?: string;
  headimgurl?: string;
}

let counter = 0;

/**
 * A database of its own shaped like Discuz! Q v2.1.201117's `users` and `user_wechats` (its migrations, the
 * later `alter_*` ones applied), with its types: bigint unsigned ids, local DATETIMEs, '' for absent values.
 */
export class DiscuzqSource {
  private constructor(
    private readonly connection: Connection,
    readonly database: string,
    readonly prefix: string,
  ) {}

  /** The URL `users import --db` takes. */
  get url(): string {
    const url = new URL(DISCUZQ_SERVER_URL);
    url.pathname = `/${this.database}`;
    return url.toString();
  }

  static async create(prefix = ''): Promise<DiscuzqSource> {
    const database = `discuzq_src_${process.pid}_${process.env.JEST_WORKER_ID ?? '0'}_${++counter}`;
    const server = new URL(DISCUZQ_SERVER_URL);
    const connection = await createConnection({
      host: server.hostname,
      port: Number(server.port || 3306),
      user: decodeURIComponent(server.username),
      password: decodeURIComponent(server.password),
      charset: 'utf8mb4',
      multipleStatements: false,
    });
    await connection.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await connection.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await connection.query(`USE \`${database}\``);
    await connection.query(`
      CREATE TABLE \`${prefix}users\` (
        \`id\` bigint unsigned NOT NULL AUTO_INCREMENT,
        \`username\` varchar(100) NOT NULL,
        \`password\` varchar(100) NOT NULL,
        \`pay_password\` varchar(100) NOT NULL DEFAULT '',
        \`mobile\` varchar(20) NOT NULL DEFAULT '',
        \`signature\` varchar(255) NOT NULL DEFAULT '',
        \`last_login_ip\` varchar(45) NOT NULL DEFAULT '',
        \`last_login_port\` int unsigned NOT NULL DEFAULT 0,
        \`register_ip\` varchar(45) NOT NULL DEFAULT '',
        \`register_port\` int unsigned NOT NULL DEFAULT 0,
        \`register_reason\` varchar(50) NOT NULL DEFAULT '',
        \`username_bout\` int unsigned NOT NULL DEFAULT 0,
        \`thread_count\` int unsigned NOT NULL DEFAULT 0,
        \`follow_count\` int unsigned NOT NULL DEFAULT 0,
        \`fans_count\` int unsigned NOT NULL DEFAULT 0,
        \`liked_count\` int unsigned NOT NULL DEFAULT 0,
        \`question_count\` int unsigned NOT NULL DEFAULT 0,
        \`status\` tinyint NOT NULL DEFAULT 0,
        \`avatar\` varchar(255) NOT NULL DEFAULT '',
        \`identity\` char(18) NOT NULL DEFAULT '',
        \`realname\` varchar(20) NOT NULL DEFAULT '',
        \`avatar_at\` datetime NULL,
        \`login_at\` datetime NULL,
        \`joined_at\` datetime NULL,
        \`expired_at\` datetime NULL,
        \`created_at\` datetime NOT NULL,
        \`updated_at\` datetime NOT NULL,
        PRIMARY KEY (\`id\`),
        UNIQUE KEY \`users_username_unique\` (\`username\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await connection.query(`
      CREATE TABLE \`${prefix}user_wechats\` (
        \`id\` bigint unsigned NOT NULL AUTO_INCREMENT,
        \`user_id\` bigint unsigned NULL DEFAULT NULL,
        \`mp_openid\` varchar(30) NOT NULL DEFAULT '',
        \`dev_openid\` varchar(30) NOT NULL DEFAULT '',
        \`min_openid\` varchar(30) NOT NULL DEFAULT '',
        \`nickname\` varchar(50) NOT NULL DEFAULT '',
        \`sex\` tinyint NOT NULL DEFAULT 0,
        \`province\` varchar(100) NOT NULL DEFAULT '',
        \`city\` varchar(100) NOT NULL DEFAULT '',
        \`country\` varchar(100) NOT NULL DEFAULT '',
        \`headimgurl\` varchar(255) NOT NULL DEFAULT '',
        \`privilege\` varchar(255) NOT NULL DEFAULT '',
        \`unionid\` varchar(30) NOT NULL DEFAULT '',
        \`created_at\` datetime NOT NULL,
        \`updated_at\` datetime NOT NULL,
        PRIMARY KEY (\`id\`),
        KEY \`user_id\` (\`user_id\`),
        KEY \`idx_mp_openid\` (\`mp_openid\`),
        KEY \`idx_dev_openid\` (\`dev_openid\`),
        KEY \`idx_min_openid\` (\`min_openid\`),
        KEY \`idx_unionid\` (\`unionid\`),
        CONSTRAINT \`${prefix}user_wechats_user_id_foreign\` FOREIGN KEY (\`user_id\`) REFERENCES \`${prefix}users\` (\`id\`) ON DELETE CASCADE
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    return new DiscuzqSource(connection, database, prefix);
  }

  /** Adds users in multi-row INSERTs. */
  async addUsers(users: readonly DiscuzqUserFixture[]): Promise<void> {
    const columns = [
      'id',
      'username',
      'password',
      'mobile',
      'status',
      'register_reason',
      'last_login_ip',
      'login_at',
      'created_at',
      'updated_at',
    ];
    const extra = ['pay_password', 'realname'] as const;
    for (let start = 0; start < users.length; start += 2000) {
      const chunk = users.slice(start, start + 2000);
      await this.connection.query(`INSERT INTO \`${this.prefix}users\` (${[...columns, ...extra].join(', ')}) VALUES ?`, [
        chunk.map((user) => [
          user.id,
          user.username,
          user.password === undefined ? '' : user.password,
          user.mobile === undefined ? '' : user.mobile,
          user.status === undefined ? 0 : user.status,
          user.register_reason === undefined ? '' : user.register_reason,
          user.last_login_ip ?? '',
          user.login_at ?? null,
          user.created_at === undefined ? '2020-11-17 10:00:00' : user.created_at,
          '2020-11-17 10:00:00',
          user.pay_password ?? '',
          user.realname ?? '',
        ]),
      ]);
    }
  }

  async addWechats(rows: readonly DiscuzqWechatFixture[]): Promise<void> {
    for (let start = 0; start < rows.length; start += 2000) {
      const chunk = rows.slice(start, start + 2000);
      await this.connection.query(
        `INSERT INTO \`${this.prefix}user_wechats\` (user_id, mp_openid, dev_openid, min_openid, unionid, nickname, sex, province, city, country, headimgurl, created_at, updated_at) VALUES ?`,
        [
          chunk.map((row) => [
            row.user_id,
            row.mp_openid === undefined ? '' : row.mp_openid,
            row.dev_openid === undefined ? '' : row.dev_openid,
            row.min_openid === undefined ? '' : row.min_openid,
            row.unionid === undefined ? '' : row.unionid,
            row.nickname === undefined ? '' : row.nickname,
            row.sex ?? 0,
            row.province ?? '',
            row.city ?? '',
            row.country ?? '',
            row.headimgurl ?? '',
            '2020-11-17 10:00:00',
            '2020-11-17 10:00:00',
          ]),
        ],
      );
    }
  }

  /**
   * Lets the columns an import reads hold NULL, and MySQL's zero date, as in a forum whose tables were altered
   * or made under a lax sql_mode.
   */
  async allowNulls(): Promise<void> {
    await this.connection.query("SET SESSION sql_mode = ''");
    const users = ['username varchar(100)', 'password varchar(100)', 'mobile varchar(20)', 'register_reason varchar(50)', 'status tinyint'];
    const wechats = [
      'mp_openid varchar(30)',
      'dev_openid varchar(30)',
      'min_openid varchar(30)',
      'unionid varchar(30)',
      'nickname varchar(50)',
    ];
    await this.connection.query(
      `ALTER TABLE \`${this.prefix}users\` ${[...users, 'created_at datetime'].map((column) => `MODIFY ${column} NULL`).join(', ')}`,
    );
    await this.connection.query(
      `ALTER TABLE \`${this.prefix}user_wechats\` ${wechats.map((column) => `MODIFY ${column} NULL`).join(', ')}`,
    );
  }

  /** Runs a statement on the source, as the forum itself would (to change a row between two imports). */
  async execute(sql: string, parameters: unknown[] = []): Promise<void> {
    await this.connection.query(sql, parameters);
  }

  /** InnoDB's checksum of both tables: equal before and after an import when the import wrote nothing. */
  async checksum(): Promise<string> {
    const [rows] = await this.connection.query<RowDataPacket[]>(
      `CHECKSUM TABLE \`${this.prefix}users\`, \`${this.prefix}user_wechats\` EXTENDED`,
    );
    return rows.map((row) => `${String(row.Table)}=${String(row.Checksum)}`).join(',');
  }

  /** Lets go of the connection and leaves the database (a benchmark's source, kept for another run). */
  async release(): Promise<void> {
    await this.connection.end();
  }

  async drop(): Promise<void> {
    try {
      await this.connection.query(`DROP DATABASE IF EXISTS \`${this.database}\``);
    } finally {
      await this.connection.end();
    }
  }
}
