import { MigrationInterface, QueryRunner } from 'typeorm';

/** enduser sign-in: user-domain secrets, the RS256 signing keys, and deletions a user asked for later. */
export class EnduserSignIn1764300000100 implements MigrationInterface {
  name = 'EnduserSignIn1764300000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE \`enduser_domain_secrets\` (
        \`tenant_id\` int NOT NULL,
        \`secret_sealed\` varchar(255) NOT NULL,
        \`updated_at\` bigint NOT NULL,
        PRIMARY KEY (\`tenant_id\`),
        CONSTRAINT \`FK_enduser_domain_secrets_tenant\` FOREIGN KEY (\`tenant_id\`) REFERENCES \`tenants\` (\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`);
    await queryRunner.query(`
      CREATE TABLE \`enduser_signing_keys\` (
        \`id\` int NOT NULL AUTO_INCREMENT,
        \`generation\` int NOT NULL,
        \`kid\` varchar(64) NOT NULL,
        \`public_key\` text NOT NULL,
        \`private_key_sealed\` text NOT NULL,
        \`created_at\` bigint NOT NULL,
        \`retired_at\` bigint NULL,
        UNIQUE INDEX \`UQ_enduser_signing_keys_generation\` (\`generation\`),
        UNIQUE INDEX \`UQ_enduser_signing_keys_kid\` (\`kid\`),
        PRIMARY KEY (\`id\`)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`);
    await queryRunner.query(`
      CREATE TABLE \`enduser_pending_deletions\` (
        \`user_id\` int NOT NULL,
        \`due_at\` bigint NOT NULL,
        INDEX \`IX_enduser_pending_deletions_due\` (\`due_at\`),
        PRIMARY KEY (\`user_id\`),
        CONSTRAINT \`FK_enduser_pending_deletions_user\` FOREIGN KEY (\`user_id\`) REFERENCES \`users\` (\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `enduser_pending_deletions`');
    await queryRunner.query('DROP TABLE `enduser_signing_keys`');
    await queryRunner.query('DROP TABLE `enduser_domain_secrets`');
  }
}
