import { QueryRunner } from 'typeorm';

/**
 * Binary, no-pad collation: the database compares exactly the bytes the application normalised, so
 * `josé` ≠ `jose` and a trailing space is never ignored. MariaDB and MySQL 8 name it differently.
 */
export async function binaryCollation(queryRunner: QueryRunner): Promise<string> {
  const [{ version }] = (await queryRunner.query('SELECT VERSION() AS version')) as { version: unknown }[];
  return String(version).includes('MariaDB') ? 'utf8mb4_nopad_bin' : 'utf8mb4_0900_bin';
}
