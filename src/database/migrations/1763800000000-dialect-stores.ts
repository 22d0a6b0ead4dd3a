import { MigrationInterface, QueryRunner } from 'typeorm';
import { binaryCollation } from './binary-collation';

/** Server keys and invites of tenants, refresh-token families and sessions (bytepower, jsonapi-users). */
export class DialectStores1763800000000 implements MigrationInterface {
  name = 'DialectStores1763800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const table = `ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=${await binaryCollation(queryRunner)}`;
    await queryRunner.query(`
      CREATE TABLE \`server_keys\` (
        \`id\` int NOT NULL AUTO_INCREMENT,
        \`tenant_id\` int NOT NULL,
        \`key_name\` varchar(64) NOT NULL,
        \`secret_sealed\` varchar(255) NOT NULL,
        \`created_at\` bigint NOT NULL,
        \`revoked_at\` bigint NULL,
        UNIQUE INDEX \`UQ_server_keys_name\` (\`key_name\`),
        PRIMARY KEY (\`id\`),
        CONSTRAINT \`FK_server_keys_tenant\` FOREIGN KEY (\`tenant_id\`) REFERENCES \`tenants\` (\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION
      ) ${table}`);
    await queryRunner.query(`
      CREATE TABLE \`invites\` (
        \`id\` int NOT NULL AUTO_INCREMENT,
        \`tenant_id\` int NOT NULL,
        \`code\` varchar(64) NOT NULL,
        \`created_at\` bigint NOT NULL,
        \`expires_at\` bigint NULL,
        \`used_at\` bigint NULL,
        \`used_by\` int NULL,
        UNIQUE INDEX \`UQ_invites_tenant_code\` (\`tenant_id\`, \`code\`),
        PRIMARY KEY (\`id\`),
        CONSTRAINT \`FK_invites_tenant\` FOREIGN KEY (\`tenant_id\`) REFERENCES \`tenants\` (\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION
      ) ${table}`);
    await queryRunner.query(`
      CREATE TABLE \`refresh_tokens\` (
        \`id\` int NOT NULL AUTO_INCREMENT,
        \`tenant_id\` int NOT NULL,
        \`user_id\` int NOT NULL,
        \`family_id\` varchar(36) NOT NULL,
        \`parent_id\` int NULL,
        \`token_hash\` varchar(64) NOT NULL,
        \`issued_at\` bigint NOT NULL,
        \`expires_at\` bigint NOT NULL,
        \`used_at\` bigint NULL,
        \`revoked_at\` bigint NULL,
        UNIQUE INDEX \`UQ_refresh_tokens_hash\` (\`token_hash\`),
        INDEX \`IX_refresh_tokens_family\` (\`family_id\`),
        PRIMARY KEY (\`id\`)
      ) ${table}`);
    await queryRunner.query(`
      CREATE TABLE \`sessions\` (
        \`id\` int NOT NULL AUTO_INCREMENT,
        \`tenant_id\` int NOT NULL,
        \`user_id\` int NOT NULL,
        \`token_hash\` varchar(64) NOT NULL,
        \`created_at\` bigint NOT NULL,
        \`expires_at\` bigint NOT NULL,
        UNIQUE INDEX \`UQ_sessions_hash\` (\`token_hash\`),
        PRIMARY KEY (\`id\`)
      ) ${table}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['sessions', 'refresh_tokens', 'invites', 'server_keys']) {
      await queryRunner.query(`DROP TABLE \`${table}\``);
    }
  }
}
