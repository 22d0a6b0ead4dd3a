import { MigrationInterface, QueryRunner } from 'typeorm';
import { binaryCollation } from './binary-collation';

/**
 * `users import`: an imported user keeps its id in the source (unique per tenant, so a re-run finds it instead
 * of adding it again) and the digest of the record as imported (so a re-run skips what did not change). Hashes
 * get room for argon2 PHC strings with long salts or digests.
 */
export class UserExternalIds1764400000100 implements MigrationInterface {
  name = 'UserExternalIds1764400000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    const collation = await binaryCollation(queryRunner);
    await queryRunner.query(
      `ALTER TABLE \`users\` ADD \`external_id\` varchar(191) CHARACTER SET utf8mb4 COLLATE ${collation} NULL, ` +
        'ADD `import_digest` varchar(64) NULL, MODIFY `password_hash` varchar(255) NULL',
    );
    await queryRunner.query('CREATE UNIQUE INDEX `UQ_users_tenant_external_id` ON `users` (`tenant_id`, `external_id`)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX `UQ_users_tenant_external_id` ON `users`');
    // A hash longer than the old column has no place to go back to: that user resets or signs in by code.
    await queryRunner.query('UPDATE `users` SET `password_hash` = NULL WHERE CHAR_LENGTH(`password_hash`) > 100');
    await queryRunner.query('ALTER TABLE `users` DROP `external_id`, DROP `import_digest`, MODIFY `password_hash` varchar(100) NULL');
  }
}
