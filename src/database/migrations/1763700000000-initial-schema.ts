import { MigrationInterface, QueryRunner } from 'typeorm';
import { binaryCollation } from './binary-collation';

export class InitialSchema1763700000000 implements MigrationInterface {
  name = 'InitialSchema1763700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const table = `ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=${await binaryCollation(queryRunner)}`;
    const timestamps = `
      \`created_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
      \`updated_at\` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6)`;
    await queryRunner.query(`
      CREATE TABLE \`tenants\` (
        \`id\` int NOT NULL AUTO_INCREMENT,
        \`kind\` varchar(32) NOT NULL,
        \`code\` varchar(128) NOT NULL,
        \`name\` varchar(128) NOT NULL,
        \`enabled\` tinyint NOT NULL DEFAULT 1,
        \`settings\` text NOT NULL,
        ${timestamps},
        UNIQUE INDEX \`UQ_tenants_kind_code\` (\`kind\`, \`code\`),
        PRIMARY KEY (\`id\`)
      ) ${table}`);
    await queryRunner.query(`
      CREATE TABLE \`users\` (
        \`id\` int NOT NULL AUTO_INCREMENT,
        \`tenant_id\` int NOT NULL,
        \`email\` varchar(320) NULL,
        \`email_normalized\` varchar(320) NULL,
        \`username\` varchar(191) NULL,
        \`username_normalized\` varchar(191) NULL,
        \`password_hash\` varchar(100) NOT NULL,
        \`status\` varchar(32) NOT NULL DEFAULT 'active',
        \`email_verified\` tinyint NOT NULL DEFAULT 0,
        \`phone\` varchar(32) NULL,
        \`register_source\` varchar(64) NOT NULL,
        \`profile\` text NOT NULL,
        \`logins_count\` int NOT NULL DEFAULT 0,
        ${timestamps},
        UNIQUE INDEX \`UQ_users_tenant_email\` (\`tenant_id\`, \`email_normalized\`),
        UNIQUE INDEX \`UQ_users_tenant_username\` (\`tenant_id\`, \`username_normalized\`),
        PRIMARY KEY (\`id\`),
        CONSTRAINT \`FK_users_tenant\` FOREIGN KEY (\`tenant_id\`) REFERENCES \`tenants\` (\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION
      ) ${table}`);
    await queryRunner.query(`
      CREATE TABLE \`verification_codes\` (
        \`id\` int NOT NULL AUTO_INCREMENT,
        \`tenant_id\` int NOT NULL,
        \`email_normalized\` varchar(320) NOT NULL,
        \`purpose\` varchar(32) NOT NULL,
        \`code_hash\` varchar(64) NOT NULL,
        \`sent_at\` bigint NOT NULL,
        \`expires_at\` bigint NOT NULL,
        \`attempts\` int NOT NULL DEFAULT 0,
        \`consumed_at\` bigint NULL,
        UNIQUE INDEX \`UQ_codes_tenant_email_purpose\` (\`tenant_id\`, \`email_normalized\`, \`purpose\`),
        PRIMARY KEY (\`id\`)
      ) ${table}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `verification_codes`');
    await queryRunner.query('DROP TABLE `users`');
    await queryRunner.query('DROP TABLE `tenants`');
  }
}
