import { MigrationInterface, QueryRunner } from 'typeorm';
import { binaryCollation } from '../../../database/migrations/binary-collation';

/** The site's WeChat identities, Discuz! Q's `user_wechats` (docs/dialects/jsonapi-users.md#wechat). */
export class JsonApiUserWechats1764200000300 implements MigrationInterface {
  name = 'JsonApiUserWechats1764200000300';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Binary: openids and unionids differ by case, so they are compared byte for byte.
    await queryRunner.query(`
      CREATE TABLE \`jsonapi_user_wechats\` (
        \`id\` int NOT NULL AUTO_INCREMENT,
        \`tenant_id\` int NOT NULL,
        \`user_id\` int NOT NULL,
        \`mp_openid\` varchar(64) NULL,
        \`dev_openid\` varchar(64) NULL,
        \`min_openid\` varchar(64) NULL,
        \`unionid\` varchar(64) NULL,
        \`nickname\` varchar(100) NOT NULL,
        \`sex\` int NOT NULL,
        \`province\` varchar(100) NOT NULL,
        \`city\` varchar(100) NOT NULL,
        \`country\` varchar(100) NOT NULL,
        \`headimgurl\` varchar(512) NOT NULL,
        \`created_at\` bigint NOT NULL,
        \`updated_at\` bigint NOT NULL,
        UNIQUE INDEX \`UQ_jsonapi_user_wechats_user\` (\`user_id\`),
        UNIQUE INDEX \`UQ_jsonapi_user_wechats_mp\` (\`tenant_id\`, \`mp_openid\`),
        UNIQUE INDEX \`UQ_jsonapi_user_wechats_dev\` (\`tenant_id\`, \`dev_openid\`),
        UNIQUE INDEX \`UQ_jsonapi_user_wechats_min\` (\`tenant_id\`, \`min_openid\`),
        UNIQUE INDEX \`UQ_jsonapi_user_wechats_unionid\` (\`tenant_id\`, \`unionid\`),
        PRIMARY KEY (\`id\`),
        CONSTRAINT \`FK_jsonapi_user_wechats_tenant\` FOREIGN KEY (\`tenant_id\`) REFERENCES \`tenants\` (\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION,
        CONSTRAINT \`FK_jsonapi_user_wechats_user\` FOREIGN KEY (\`user_id\`) REFERENCES \`users\` (\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=${await binaryCollation(queryRunner)}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `jsonapi_user_wechats`');
  }
}
