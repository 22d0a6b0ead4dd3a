import { MigrationInterface, QueryRunner } from 'typeorm';
import { emailSkeleton, usernameSkeleton } from '../../users/identity';
import { uniqueViolationMessage } from '../database-errors';

const BATCH = 500;

/**
 * Look-alike identities: each user gets the digests of its email's and username's UTS #39 skeletons
 * under unique indexes per tenant. Existing users keep their names: the indexes come first and users
 * are filled oldest first, so where an earlier user already holds a skeleton the later one is left NULL.
 */
export class IdentitySkeletons1764100000000 implements MigrationInterface {
  name = 'IdentitySkeletons1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE `users` ADD `email_skeleton` varchar(64) NULL, ADD `username_skeleton` varchar(64) NULL');
    await queryRunner.query('CREATE UNIQUE INDEX `UQ_users_tenant_email_skeleton` ON `users` (`tenant_id`, `email_skeleton`)');
    await queryRunner.query('CREATE UNIQUE INDEX `UQ_users_tenant_username_skeleton` ON `users` (`tenant_id`, `username_skeleton`)');
    for (let after = 0; ;) {
      const rows = (await queryRunner.query('SELECT `id`, `email`, `username` FROM `users` WHERE `id` > ? ORDER BY `id` LIMIT ?', [
        after,
        BATCH,
      ])) as { id: number; email: string | null; username: string | null }[];
      for (const row of rows) {
        await fill(queryRunner, row.id, 'email_skeleton', row.email === null ? null : emailSkeleton(row.email));
        await fill(queryRunner, row.id, 'username_skeleton', row.username === null ? null : usernameSkeleton(row.username));
      }
      if (rows.length < BATCH) {
        return;
      }
      after = rows[rows.length - 1].id;
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX `UQ_users_tenant_username_skeleton` ON `users`');
    await queryRunner.query('DROP INDEX `UQ_users_tenant_email_skeleton` ON `users`');
    await queryRunner.query('ALTER TABLE `users` DROP `email_skeleton`, DROP `username_skeleton`');
  }
}

/** Sets one skeleton unless an earlier look-alike holds it already. */
async function fill(queryRunner: QueryRunner, id: number, column: string, skeleton: string | null): Promise<void> {
  if (skeleton === null) {
    return;
  }
  try {
    await queryRunner.query(`UPDATE \`users\` SET \`${column}\` = ? WHERE \`id\` = ?`, [skeleton, id]);
  } catch (error) {
    if (!uniqueViolationMessage(error)) {
      throw error;
    }
  }
}
