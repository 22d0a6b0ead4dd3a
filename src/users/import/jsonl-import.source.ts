import { FileHandle, open } from 'node:fs/promises';
import { Injectable } from '@nestjs/common';
import { Clock } from '../../clock/clock';
import { ImportItem, ImportReader, ImportRecord, ImportSource, ImportSourceOptions } from './import-source';

/** Longest line read; a longer one is reported, not parsed. */
export const JSONL_MAX_LINE_BYTES = 64 * 1024;
/** Deepest nesting of a profile (the profile object itself is level 1). */
export const JSONL_MAX_PROFILE_DEPTH = 8;

const FIELDS = new Set(['email', 'username', 'phone', 'password_hash', 'email_verified', 'created_at', 'profile', 'external_id']);
/** Keys that would reach an object's prototype once a profile is spread or merged. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** ISO 8601 with a time zone (`Z` or an offset): a time without one would depend on the importing machine. */
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(?:Z|([+-])(\d{2}):(\d{2}))$/;
/** How far past the clock a `created_at` may be: the original's clock may run a little ahead of ours. */
const CREATED_AT_SLACK_MS = 24 * 60 * 60 * 1000;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const CHUNK_BYTES = 64 * 1024;

/**
 * `--from jsonl --file F`: one JSON object per line (SPEC §2.8), for any tenant kind. A line that is not such an
 * object is reported with its number and the rest goes on.
 */
@Injectable()
export class JsonlImportSource implements ImportSource {
  readonly name = 'jsonl';

  constructor(private readonly clock: Clock) {}

  /**
   * Opens the file once and reads it once: a regular file, or a pipe (`/dev/stdin`, `<(zcat users.jsonl.gz)`, a
   * named FIFO, read as its writer writes). Devices, directories and sockets are refused.
   */
  async open(options: ImportSourceOptions): Promise<ImportReader> {
    if (options.file === undefined) {
      throw new Error('--from jsonl needs --file <path>');
    }
    if (options.db !== undefined || options.prefix !== undefined || options.timezone !== undefined) {
      throw new Error('--from jsonl takes --file, not --db, --prefix or --timezone');
    }
    const file = options.file;
    const handle = await open(file, 'r').catch(() => {
      throw new Error(`cannot read ${file}`);
    });
    try {
      const stat = await handle.stat();
      if (!stat.isFile() && !stat.isFIFO()) {
        throw new Error(`${file} is not a file or a pipe`);
      }
      // Only a regular file can be read ahead for the bar without consuming it; a pipe shows none.
      return new JsonlReader(handle, stat.isFile() ? await countLines(handle) : undefined, this.clock.now() + CREATED_AT_SLACK_MS);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }
}

class JsonlReader implements ImportReader {
  constructor(
    private readonly handle: FileHandle,
    readonly total: number | undefined,
    private readonly latest: number,
  ) {}

  async *batches(size: number): AsyncIterable<ImportItem[]> {
    let batch: ImportItem[] = [];
    for await (const line of lines(this.handle, this.total === undefined ? null : 0)) {
      if (line.bytes === undefined) {
        batch.push({ line: line.number, error: `line longer than ${JSONL_MAX_LINE_BYTES} bytes` });
      } else {
        const text = line.bytes.toString('utf8');
        if (text.trim() === '') {
          continue;
        }
        batch.push(parseLine(text, line.number, this.latest));
      }
      if (batch.length >= size) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) {
      yield batch;
    }
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

/**
 * The lines of a file, split on LF with a CR before it dropped and one UTF-8 BOM at the start skipped. A line
 * longer than JSONL_MAX_LINE_BYTES comes without its bytes, and is never held whole: a file of one endless line
 * costs no memory. `position` null reads a pipe on from where it is; 0 reads a regular file from its start.
 */
async function* lines(handle: FileHandle, position: number | null): AsyncIterable<{ number: number; bytes?: Buffer }> {
  const chunk = Buffer.alloc(CHUNK_BYTES);
  let parts: Buffer[] = [];
  let held = 0;
  let tooLong = false;
  let number = 0;
  const end = () => {
    number++;
    let bytes: Buffer | undefined = tooLong ? undefined : Buffer.concat(parts, held);
    if (bytes && number === 1 && bytes.subarray(0, BOM.length).equals(BOM)) {
      bytes = bytes.subarray(BOM.length);
    }
    if (bytes && bytes[bytes.length - 1] === 13) {
      bytes = bytes.subarray(0, -1);
    }
    parts = [];
    held = 0;
    tooLong = false;
    return { number, bytes: bytes && bytes.length <= JSONL_MAX_LINE_BYTES ? bytes : undefined };
  };
  for (;;) {
    const { bytesRead } = await handle.read(chunk, 0, CHUNK_BYTES, position);
    if (bytesRead === 0) {
      break;
    }
    if (position !== null) {
      position += bytesRead;
    }
    let start = 0;
    for (let newline = chunk.indexOf(10, start); newline !== -1 && newline < bytesRead; newline = chunk.indexOf(10, start)) {
      keep(chunk.subarray(start, newline));
      yield end();
      start = newline + 1;
    }
    keep(chunk.subarray(start, bytesRead));
  }
  if (held > 0 || tooLong) {
    yield end();
  }

  /** Holds a piece of the current line, up to the longest line plus a BOM and a CR. */
  function keep(piece: Buffer): void {
    if (tooLong || piece.length === 0) {
      return;
    }
    if (held + piece.length > JSONL_MAX_LINE_BYTES + BOM.length + 1) {
      tooLong = true;
      parts = [];
      return;
    }
    parts.push(Buffer.from(piece));
    held += piece.length;
  }
}

/** Lines in a regular file, for the progress bar: its line feeds, and one more when the last line has none. */
async function countLines(handle: FileHandle): Promise<number> {
  const chunk = Buffer.alloc(CHUNK_BYTES);
  let count = 0;
  let last = 10;
  for (let position = 0, read = 1; read > 0; position += read) {
    ({ bytesRead: read } = await handle.read(chunk, 0, CHUNK_BYTES, position));
    for (let i = chunk.indexOf(10); i !== -1 && i < read; i = chunk.indexOf(10, i + 1)) {
      count++;
    }
    last = read > 0 ? chunk[read - 1] : last;
  }
  return last === 10 ? count : count + 1;
}

/**
 * One line as a record, or the reason it is none. `latest` is the last `created_at` taken (epoch ms): a time
 * after it, or before 1970, is no real time of a user's creation and would break what is built on it.
 */
export function parseLine(text: string, line: number, latest: number): ImportItem {
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
  if (created !== undefined && (Number.isNaN(created) || created < 0 || created > latest)) {
    return fail('created_at must be a real time from 1970-01-01T00:00:00Z to a day from now');
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

/** The time given, NaN for one written right that names no instant (February 30, 24:00), null for a wrong form. */
function createdAt(value: unknown): number | undefined | null {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value === 'number') {
    return Number.isInteger(value) ? value : null;
  }
  const match = typeof value === 'string' ? ISO_TIME.exec(value) : null;
  if (!match) {
    return null;
  }
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = [1, 2, 3, 4, 5, 6, 9, 10].map((i) => Number(match[i] ?? 0));
  const milliseconds = Number((match[7] ?? '.').slice(1, 4).padEnd(3, '0'));
  const local = new Date(0);
  local.setUTCFullYear(year, month - 1, day);
  local.setUTCHours(hour, minute, second, milliseconds);
  // Date rolls an impossible field into the next (February 30 into March 2): such a time is refused, not moved.
  const read = [
    local.getUTCFullYear(),
    local.getUTCMonth() + 1,
    local.getUTCDate(),
    local.getUTCHours(),
    local.getUTCMinutes(),
    local.getUTCSeconds(),
  ];
  if (read.some((field, i) => field !== [year, month, day, hour, minute, second][i]) || offsetHours > 23 || offsetMinutes > 59) {
    return NaN;
  }
  return local.getTime() - (match[8] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
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
