import { MigrationInterface, QueryRunner } from 'typeorm';

const TABLES = ['tenants', 'users'];

/**
 * Users' and tenants' times become epoch milliseconds in BIGINT columns, like every later table. The
 * app wrote these datetimes in UTC (`timezone: 'Z'`), so they are read back in UTC, whatever the
 * server's own time zone, keeping their microseconds down to the millisecond.
 */
export class EpochMillisTimes1763900000000 implements MigrationInterface {
  name = 'EpochMillisTimes1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await inUtc(queryRunner, async () => {
      for (const table of TABLES) {
        await queryRunner.query(`ALTER TABLE \`${table}\` ADD \`created_ms\` bigint NULL, ADD \`updated_ms\` bigint NULL`);
        await queryRunner.query(
          `UPDATE \`${table}\` SET \`created_ms\` = FLOOR(UNIX_TIMESTAMP(\`created_at\`) * 1000), \`updated_ms\` = FLOOR(UNIX_TIMESTAMP(\`updated_at\`) * 1000)`,
        );
        await queryRunner.query(
          `ALTER TABLE \`${table}\` DROP \`created_at\`, DROP \`updated_at\`, CHANGE \`created_ms\` \`created_at\` bigint NOT NULL, CHANGE \`updated_ms\` \`updated_at\` bigint NOT NULL`,
        );
      }
    });
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await inUtc(queryRunner, async () => {
      for (const table of TABLES) {
        await queryRunner.query(`ALTER TABLE \`${table}\` ADD \`created_dt\` datetime(6) NULL, ADD \`updated_dt\` datetime(6) NULL`);
        await queryRunner.query(
          `UPDATE \`${table}\` SET \`created_dt\` = FROM_UNIXTIME(\`created_at\` / 1000), \`updated_dt\` = FROM_UNIXTIME(\`updated_at\` / 1000)`,
        );
        await queryRunner.query(
          `ALTER TABLE \`${table}\` DROP \`created_at\`, DROP \`updated_at\`, ` +
            'CHANGE `created_dt` `created_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), ' +
            'CHANGE `updated_dt` `updated_at` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6)',
        );
      }
    });
  }
}

/** UNIX_TIMESTAMP and FROM_UNIXTIME read the session's time zone; the pooled connection gets its own back. */
async function inUtc(queryRunner: QueryRunner, work: () => Promise<void>): Promise<void> {
  const [{ zone }] = (await queryRunner.query('SELECT @@session.time_zone AS zone')) as { zone: string }[];
  await queryRunner.query("SET time_zone = '+00:00'");
  try {
    await work();
  } finally {
    await queryRunner.query('SET time_zone = ?', [zone]);
  }
}
