import { MigrationInterface, QueryRunner } from 'typeorm';

/** Discuz! Q's session tokens: a proved mobile or WeChat user carried to a later register or login. */
export class JsonApiSessionTokens1764200000100 implements MigrationInterface {
  name = 'JsonApiSessionTokens1764200000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE \`jsonapi_session_tokens\` (
        \`id\` int NOT NULL AUTO_INCREMENT,
        \`tenant_id\` int NOT NULL,
        \`token_hash\` varchar(64) NOT NULL,
        \`scope\` varchar(32) NOT NULL,
        \`payload\` text NOT NULL,
        \`user_id\` int NULL,
        \`created_at\` bigint NOT NULL,
        \`expires_at\` bigint NOT NULL,
        \`consumed_at\` bigint NULL,
        UNIQUE INDEX \`UQ_jsonapi_session_tokens_hash\` (\`token_hash\`),
        PRIMARY KEY (\`id\`),
        CONSTRAINT \`FK_jsonapi_session_tokens_tenant\` FOREIGN KEY (\`tenant_id\`) REFERENCES \`tenants\` (\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `jsonapi_session_tokens`');
  }
}
