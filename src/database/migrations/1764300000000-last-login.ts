import { MigrationInterface, QueryRunner } from 'typeorm';

/** When and from where each user last signed in (userpool's `lastLogin` and `lastIp`); null for users who never have. */
export class LastLogin1764300000000 implements MigrationInterface {
  name = 'LastLogin1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `users` ADD `last_login_at` bigint NULL, ADD `last_ip` varchar(45) NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `users` DROP `last_login_at`, DROP `last_ip`');
  }
}
