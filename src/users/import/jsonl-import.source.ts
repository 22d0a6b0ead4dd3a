import { createReadStream } from 'node:fs';
import { access, constants } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { Injectable } from '@nestjs/common';
import { ImportItem, ImportReader, ImportRecord, ImportSource, ImportSourceOptions } from './import-source';

/** Longest line read; a longer one is reported, not parsed. */
export const JSONL_MAX_LINE_BYTES = 64 * 1024;
/** Deepest nesting of a profile (the profile object itself is level 1). */
export const JSONL_MAX_PROFILE_DEPTH = 8;

const FIELDS = new Set(['email', 'username', 'phone', 'password_hash', 'email_verified', 'created_at', 'profile', 'external_id']);
/** Keys that would reach an object's prototype once a profile is spread or merged. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** ISO 8601 with a time zone (`Z` or an offset): a time without one would depend on the importing machine. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * `--from jsonl --file F`: one JSON object per line (SPEC §2.8), for any tenant kind. A line that is not such an
 * object is reported with its number and the rest goes on.
 */
@Injectable()
export class JsonlImportSource implements ImportSource {
  readonly name = 'jsonl';

  async open(options: ImportSourceOptions): Promise<ImportReader> {
    if (options.file === undefined) {
      throw new Error('--from jsonl needs --file <path>');
    }
    if (options.db !== undefined || options.prefix !== undefined || options.timezone !== undefined) {
      throw new Error('--from jsonl takes --file, not --db, --prefix or --timezone');
    }
    const file = options.file;
    await access(file, constants.R_OK).catch(() => {
      throw new Error(`cannot read ${file}`);
    });
    return new JsonlReader(file, await countLines(file));
  }
}

class JsonlReader implements ImportReader {
  constructor(
    private readonly file: string,
    readonly total: number,
  ) {}

  async *batches(size: number): AsyncIterable<ImportItem[]> {
    const lines = createInterface({ input: createReadStream(this.file, { encoding: 'utf8' }), crlfDelay: Infinity });
    let batch: ImportItem[] = [];
    let number = 0;
    for await (const text of lines) {
      number++;
      if (text.trim() === '') {
        continue;
      }
      batch.push(parseLine(text, number));
      if (batch.length >= size) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) {
      yield batch;
    }
  }

  async close(): Promise<void> {}
}

/** Lines in the file, for the progress bar. */
async function countLines(file: string): Promise<number> {
  let lines = 0;
  let last = 10;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) {
      lines++;
    }
    last = chunk[chunk.length - 1];
  }
  return last === 10 ? lines : lines + 1;
}

/** One line as a record, or the reason it is none. */
export function parseLine(text: string, line: number): ImportItem {
  const fail = (error: string): ImportItem => ({ line, error });
  if (Buffer.byteLength(text, 'utf8') > JSONL_MAX_LINE_BYTES) {
    return fail(`line longer than ${JSONL_MAX_LINE_BYTES} bytes`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail('not JSON');
  }
  if (!isPlainObject(value)) {
    return fail('not a JSON object');
  }
  const unknown = Object.keys(value).find((field) => !FIELDS.has(field));
  if (unknown !== undefined) {
    return fail(`unknown field ${JSON.stringify(unknown)}`);
  }
  const record: ImportRecord = { ref: { line } };
  for (const field of ['email', 'username', 'phone'] as const) {
    const given = value[field];
    if (given !== undefined && given !== null) {
      if (typeof given !== 'string') {
        return fail(`${field} must be a string`);
      }
      record[field] = given;
    }
  }
  const hash = value.password_hash;
  if (hash !== undefined && hash !== null && typeof hash !== 'string') {
    return fail('password_hash must be a string or null');
  }
  record.passwordHash = typeof hash === 'string' ? hash : null;
  const verified = value.email_verified;
  if (verified !== undefined && typeof verified !== 'boolean') {
    return fail('email_verified must be true or false');
  }
  record.emailVerified = verified;
  const created = createdAt(value.created_at);
  if (created === null) {
    return fail('created_at must be ISO 8601 with a time zone, or epoch milliseconds');
  }
  record.createdAt = created;
  const externalId = value.external_id;
  if (externalId !== undefined && externalId !== null) {
    if (!(typeof externalId === 'string' && externalId !== '') && !(typeof externalId === 'number' && Number.isSafeInteger(externalId))) {
      return fail('external_id must be a non-empty string or a whole number');
    }
    record.externalId = String(externalId);
  }
  if (value.profile !== undefined) {
    const problem = profileProblem(value.profile, 1);
    if (problem) {
      return fail(problem);
    }
    record.profile = value.profile as Record<string, unknown>;
  }
  return record;
}

function createdAt(value: unknown): number | undefined | null {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) && value >= 0 ? value : null;
  }
  if (typeof value === 'string' && ISO_TIME.test(value)) {
    const time = Date.parse(value);
    return Number.isNaN(time) ? null : time;
  }
  return null;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Why a profile cannot be stored, or undefined: an object, at most JSONL_MAX_PROFILE_DEPTH deep, no prototype keys. */
function profileProblem(value: unknown, depth: number): string | undefined {
  if (depth === 1 && !isPlainObject(value)) {
    return 'profile must be a JSON object';
  }
  if (value === null || typeof value !== 'object') {
    return undefined;
  }
  if (depth > JSONL_MAX_PROFILE_DEPTH) {
    return `profile nested deeper than ${JSONL_MAX_PROFILE_DEPTH} levels`;
  }
  const entries = Array.isArray(value) ? value.map((item) => ['', item] as const) : Object.entries(value);
  for (const [field, item] of entries) {
    if (PROTOTYPE_KEYS.has(field)) {
      return `profile holds the key ${JSON.stringify(field)}`;
    }
    const problem = profileProblem(item, depth + 1);
    if (problem) {
      return problem;
    }
  }
  return undefined;
}
