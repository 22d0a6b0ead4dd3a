import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Users who sign in by phone, WeChat or device have no password, and a phone is an identity unique per
 * tenant (docs/architecture.md "Tenants and users"). Verification codes now go to mobiles as well as
 * emails, so their address column is the neutral `recipient`.
 */
export class PhonesAndPasswordlessUsers1764200000000 implements MigrationInterface {
  name = 'PhonesAndPasswordlessUsers1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `users` MODIFY `password_hash` varchar(100) NULL, ADD `phone_normalized` varchar(32) NULL');
    await queryRunner.query('CREATE UNIQUE INDEX `UQ_users_tenant_phone` ON `users` (`tenant_id`, `phone_normalized`)');
    await queryRunner.query(
      'ALTER TABLE `verification_codes` RENAME COLUMN `email_normalized` TO `recipient`, ' +
        'RENAME INDEX `UQ_codes_tenant_email_purpose` TO `UQ_codes_tenant_recipient_purpose`',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE `verification_codes` RENAME COLUMN `recipient` TO `email_normalized`, ' +
        'RENAME INDEX `UQ_codes_tenant_recipient_purpose` TO `UQ_codes_tenant_email_purpose`',
    );
    // Codes sent to mobiles have no email to go back to.
    await queryRunner.query("DELETE FROM `verification_codes` WHERE `email_normalized` NOT LIKE '%@%'");
    await queryRunner.query('DROP INDEX `UQ_users_tenant_phone` ON `users`');
    // Password-less users cannot go back to a schema that requires a hash: they get one that matches nothing.
    await queryRunner.query("UPDATE `users` SET `password_hash` = '!' WHERE `password_hash` IS NULL");
    await queryRunner.query('ALTER TABLE `users` DROP `phone_normalized`, MODIFY `password_hash` varchar(100) NOT NULL');
  }
}
