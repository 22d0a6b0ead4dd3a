import { MigrationInterface, QueryRunner } from 'typeorm';

const TABLES = ['users', 'refresh_tokens', 'sessions'];

/**
 * A per-user token epoch, and the epoch each session and refresh token was issued under: raising a
 * user's epoch ends all of them. Existing rows start at 0, so sessions and families stay valid.
 */
export class TokenEpochs1764000000000 implements MigrationInterface {
  name = 'TokenEpochs1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES) {
      await queryRunner.query(`ALTER TABLE \`${table}\` ADD \`token_epoch\` int NOT NULL DEFAULT 0`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES) {
      await queryRunner.query(`ALTER TABLE \`${table}\` DROP COLUMN \`token_epoch\``);
    }
  }
}
