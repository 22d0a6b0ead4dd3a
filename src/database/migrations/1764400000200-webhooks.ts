import { MigrationInterface, QueryRunner } from 'typeorm';
import { binaryCollation } from './binary-collation';

/** Webhook endpoints per tenant and one delivery per event and endpoint (src/webhooks). */
export class Webhooks1764400000200 implements MigrationInterface {
  name = 'Webhooks1764400000200';

  async up(queryRunner: QueryRunner): Promise<void> {
    const collation = await binaryCollation(queryRunner);
    await queryRunner.query(
      'CREATE TABLE `webhook_endpoints` (' +
        '`id` int NOT NULL AUTO_INCREMENT, `tenant_id` int NOT NULL, `url` varchar(2048) NOT NULL, `event_types` varchar(255) NULL, ' +
        '`secret_sealed` varchar(255) NOT NULL, `previous_secret_sealed` varchar(255) NULL, `previous_secret_until` bigint NULL, ' +
        '`enabled` tinyint NOT NULL DEFAULT 1, `disabled_reason` varchar(255) NULL, `disabled_at` bigint NULL, ' +
        '`failing_since` bigint NULL, `created_at` bigint NOT NULL, `updated_at` bigint NOT NULL, ' +
        'INDEX `IDX_webhook_endpoints_tenant` (`tenant_id`, `enabled`), PRIMARY KEY (`id`), ' +
        'CONSTRAINT `FK_webhook_endpoints_tenant` FOREIGN KEY (`tenant_id`) REFERENCES `tenants` (`id`) ON DELETE CASCADE ON UPDATE NO ACTION' +
        ') ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=' +
        collation,
    );
    await queryRunner.query(
      'CREATE TABLE `webhook_deliveries` (' +
        '`id` int NOT NULL AUTO_INCREMENT, `event_id` int NOT NULL, `endpoint_id` int NOT NULL, `status` varchar(16) NOT NULL, ' +
        '`attempts` int NOT NULL DEFAULT 0, `next_attempt_at` bigint NOT NULL, `lease_owner` varchar(64) NULL, `lease_until` bigint NULL, ' +
        '`last_attempt_at` bigint NULL, `last_status` int NULL, `last_error` varchar(255) NULL, `delivered_at` bigint NULL, ' +
        '`created_at` bigint NOT NULL, ' +
        'UNIQUE INDEX `UQ_webhook_deliveries_event_endpoint` (`event_id`, `endpoint_id`), ' +
        'INDEX `IDX_webhook_deliveries_due` (`status`, `next_attempt_at`), ' +
        'INDEX `IDX_webhook_deliveries_endpoint` (`endpoint_id`, `status`), PRIMARY KEY (`id`), ' +
        'CONSTRAINT `FK_webhook_deliveries_event` FOREIGN KEY (`event_id`) REFERENCES `outbox_events` (`id`) ON DELETE CASCADE ON UPDATE NO ACTION, ' +
        'CONSTRAINT `FK_webhook_deliveries_endpoint` FOREIGN KEY (`endpoint_id`) REFERENCES `webhook_endpoints` (`id`) ON DELETE CASCADE ON UPDATE NO ACTION' +
        ') ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=' +
        collation,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `webhook_deliveries`');
    await queryRunner.query('DROP TABLE `webhook_endpoints`');
  }
}
