import { ValueTransformer } from 'typeorm';

/** Instants as epoch milliseconds in BIGINT columns; mysql2 returns BIGINT as a string. */
export const epochMillis: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};
