import { MigrationInterface, QueryRunner } from 'typeorm';
import { binaryCollation } from '../../../database/migrations/binary-collation';

/** The users of an app that device ids and anonymous local uids sign in as (docs/dialects/bytepower.md#device-and-anonymous-sign-in). */
export class BytepowerDeviceBindings1764200000400 implements MigrationInterface {
  name = 'BytepowerDeviceBindings1764200000400';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Binary: ids are compared exactly as bound, case and trailing characters included.
    await queryRunner.query(`
      CREATE TABLE \`bytepower_device_bindings\` (
        \`id\` int NOT NULL AUTO_INCREMENT,
        \`tenant_id\` int NOT NULL,
        \`kind\` varchar(16) NOT NULL,
        \`device_id\` varchar(256) NOT NULL,
        \`user_id\` int NOT NULL,
        \`bound_at\` bigint NOT NULL,
        UNIQUE INDEX \`UQ_bytepower_device_bindings_id\` (\`tenant_id\`, \`kind\`, \`device_id\`),
        INDEX \`IX_bytepower_device_bindings_user\` (\`user_id\`),
        PRIMARY KEY (\`id\`),
        CONSTRAINT \`FK_bytepower_device_bindings_tenant\` FOREIGN KEY (\`tenant_id\`) REFERENCES \`tenants\` (\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION,
        CONSTRAINT \`FK_bytepower_device_bindings_user\` FOREIGN KEY (\`user_id\`) REFERENCES \`users\` (\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=${await binaryCollation(queryRunner)}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `bytepower_device_bindings`');
  }
}
