import type { Transaction } from '../../database/transaction';
import type { Tenant } from '../entities/tenant.entity';
import type { UserStatus } from '../entities/user.entity';

/** Where a record sits in its source, as conflicts name it: a line of a file, or the original's id. */
export type ImportRef = { line: number } | { id: string };

/** A record left out (or a part of one, such as a binding), and why. */
export type ImportConflict = ImportRef & { reason: string };

/** One user as a source gives it: identities as the original spelt them, and the original's hash as stored. */
export interface ImportRecord {
  ref: ImportRef;
  /** The user's id in the source; without one the engine keys the user by its first identity. */
  externalId?: string;
  email?: string;
  username?: string;
  /** A mobile the user signs in with, as the source spelt it; `normalizeMobile` must read it. */
  phone?: string;
  /** bcrypt (`$2a$`/`$2b$`/`$2y$`) or argon2 PHC; null or absent for a user who signs in by code or reset only. */
  passwordHash?: string | null;
  emailVerified?: boolean;
  status?: UserStatus;
  /** Epoch milliseconds. */
  createdAt?: number;
  lastLoginAt?: number | null;
  lastIp?: string | null;
  profile?: Record<string, unknown>;
  /** What the source writes beside the user (a WeChat binding), through its reader's `attach`; part of the digest. */
  attachment?: unknown;
  /** What the source left out of the record (an unreadable mobile), listed in the summary; the user is imported. */
  warnings?: string[];
}

/** A record, or a line or row the source could not read (reported with its place, and the rest goes on). */
export type ImportItem = ImportRecord | (ImportRef & { error: string });

/** A user an import batch wrote or would write: its id is null in a dry run for a user not yet stored. */
export interface ImportedUser {
  userId: number | null;
  record: ImportRecord;
}

/** One run's reading of a source. */
export interface ImportReader {
  /** How many records it holds, for the progress bar; undefined when it cannot tell cheaply. */
  readonly total?: number;
  /** The records in the source's order, at most `size` at a time. */
  batches(size: number): AsyncIterable<ImportItem[]>;
  /**
   * Writes the records' attachments inside the batch's transaction, or only checks them when `transaction` is
   * null (a dry run), and returns those it left out. Their users are imported all the same.
   */
  attach?(transaction: Transaction | null, tenant: Tenant, users: readonly ImportedUser[]): Promise<ImportConflict[]>;
  close(): Promise<void>;
}

/** What `users import` passes on from its options; each source says which it needs. */
export interface ImportSourceOptions {
  /** `--db`: a `mysql://` URL of the original's database. */
  db?: string;
  /** `--file`: a path. */
  file?: string;
  /** `--prefix`: the original's table prefix. */
  prefix?: string;
  /** `--timezone`: the offset (`+08:00`) of the original's local DATETIMEs. */
  timezone?: string;
}

/** A `--from` of `users import`: the core's `jsonl`, or one a dialect brings through its registry entry. */
export interface ImportSource {
  /** The `--from` value. */
  readonly name: string;
  /** The tenant kinds it imports into; every kind when absent. */
  readonly tenantKinds?: readonly string[];
  /** Checks the options and opens the source; throws an Error with a one-line reason. */
  open(options: ImportSourceOptions): Promise<ImportReader>;
}

/** The import sources of the mounted dialects, and the core's own, provided by the composition root. */
export const IMPORT_SOURCES = Symbol('IMPORT_SOURCES');

export function refOf(item: ImportRef): ImportRef {
  return 'line' in item ? { line: item.line } : { id: item.id };
}
