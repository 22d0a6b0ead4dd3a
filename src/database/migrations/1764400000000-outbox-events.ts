import { MigrationInterface, QueryRunner } from 'typeorm';
import { binaryCollation } from './binary-collation';

/** The outbox of user events (src/events), written in the transaction of each change and read by webhook delivery. */
export class OutboxEvents1764400000000 implements MigrationInterface {
  name = 'OutboxEvents1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE `outbox_events` (' +
        '`id` int NOT NULL AUTO_INCREMENT, `message_id` varchar(40) NOT NULL, `tenant_id` int NOT NULL, ' +
        '`type` varchar(32) NOT NULL, `payload` text NOT NULL, `created_at` bigint NOT NULL, `dispatched_at` bigint NULL, ' +
        'UNIQUE INDEX `UQ_outbox_events_message_id` (`message_id`), INDEX `IDX_outbox_events_dispatch` (`dispatched_at`, `id`), ' +
        'PRIMARY KEY (`id`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=' +
        (await binaryCollation(queryRunner)),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE `outbox_events`');
  }
}
