import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../../../test/utils/fake-clock';
import { ImportItem, ImportReader } from './import-source';
import { JSONL_MAX_LINE_BYTES, JsonlImportSource, parseLine } from './jsonl-import.source';

const NOW = Date.UTC(2026, 0, 1);
const DAY = 24 * 60 * 60 * 1000;
const RANGE = 'created_at must be a real time from 1970-01-01T00:00:00Z to a day from now';
const FORM = 'created_at must be ISO 8601 with a time zone, or epoch milliseconds';

describe('parseLine created_at', () => {
  const created = (value: unknown) => {
    const item = parseLine(JSON.stringify({ email: 'a@example.com', created_at: value }), 1, NOW + DAY);
    return 'error' in item ? item.error : item.createdAt;
  };

  it.each([
    ['2021-03-04T05:06:07Z', Date.UTC(2021, 2, 4, 5, 6, 7)],
    ['2021-03-04T05:06Z', Date.UTC(2021, 2, 4, 5, 6)],
    ['2021-03-04T13:06:07.25+08:00', Date.UTC(2021, 2, 4, 5, 6, 7, 250)],
    ['2021-03-03T23:36:07.123456-05:30', Date.UTC(2021, 2, 4, 5, 6, 7, 123)],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
    ['1970-01-01T00:00:00Z', 0],
    ['1970-01-01T08:00:00+08:00', 0],
    [0, 0],
    [1609459200000, 1609459200000],
    [NOW + DAY, NOW + DAY],
  ])('takes %j', (value, time) => {
    expect(created(value)).toBe(time);
  });

  it.each([
    ['a time past what a Date holds', 8640000000000001],
    ['the largest safe integer', 9007199254740991],
    ['a time more than a day ahead', NOW + DAY + 1],
    ['a negative time', -1],
    ['February 30', '2021-02-30T00:00:00Z'],
    ['February 29 of a common year', '2021-02-29T00:00:00Z'],
    ['month 13', '2021-13-01T00:00:00Z'],
    ['24:00', '2021-03-04T24:00:00Z'],
    ['second 60', '2021-03-04T23:59:60Z'],
    ['an offset of 24 hours', '2021-03-04T05:06:07+24:00'],
    ['year 0000', '0000-01-01T00:00:00Z'],
    ['year 0099', '0099-01-01T00:00:00Z'],
    ['a time before 1970', '1969-12-31T23:59:59Z'],
    ['a time before 1970 by its offset', '1970-01-01T07:59:59+08:00'],
    ['year 9999', '9999-12-31T23:59:59Z'],
  ])('refuses %s', (_name, value) => {
    expect(created(value)).toBe(RANGE);
  });

  it.each([['2021-03-04 05:06:07'], ['2021-03-04T05:06:07'], ['+002021-03-04T05:06:07Z'], [1.5], ['1609459200000'], [true]])(
    'refuses the form of %j',
    (value) => {
      expect(created(value)).toBe(FORM);
    },
  );
});

describe('JsonlImportSource', () => {
  let dir: string;
  const source = new JsonlImportSource(new FakeClock(NOW));
  const readers: ImportReader[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'unireg-jsonl-'));
  });
  afterEach(async () => {
    await Promise.all(readers.splice(0).map((reader) => reader.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  const opened = async (file: string) => {
    const reader = await source.open({ file });
    readers.push(reader);
    return reader;
  };
  const all = async (reader: ImportReader) => {
    const items: ImportItem[] = [];
    for await (const batch of reader.batches(2)) {
      items.push(...batch);
    }
    return items.map((item) => ('error' in item ? item : { line: (item.ref as { line: number }).line, email: item.email }));
  };
  const LINES = [
    '{"email":"a@example.com"}',
    '',
    '{"email":"b@example.com"}\r',
    `{"email":"c@example.com","note":"${'x'.repeat(JSONL_MAX_LINE_BYTES)}"}`,
  ];
  const EXPECTED = [
    { line: 1, email: 'a@example.com' },
    { line: 3, email: 'b@example.com' },
    { line: 4, error: `line longer than ${JSONL_MAX_LINE_BYTES} bytes` },
  ];

  it('reads a regular file, with its line count for the progress bar; CRLF and a last line without LF are lines', async () => {
    const file = join(dir, 'users.jsonl');
    writeFileSync(file, LINES.join('\n'));
    const reader = await opened(file);
    expect(reader.total).toBe(4);
    expect(await all(reader)).toEqual(EXPECTED);
  });

  it('skips one UTF-8 byte order mark at the start of the file, and only there', async () => {
    const file = join(dir, 'bom.jsonl');
    writeFileSync(file, '\ufeff{"email":"a@example.com"}\n\ufeff{"email":"b@example.com"}\n');
    expect(await all(await opened(file))).toEqual([
      { line: 1, email: 'a@example.com' },
      { line: 2, error: 'not JSON' },
    ]);
  });

  it('reads a named pipe once, as its writer writes, without a total', async () => {
    const data = join(dir, 'users.jsonl');
    writeFileSync(data, LINES.join('\n') + '\n');
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const writer = spawn('sh', ['-c', 'cat "$0" > "$1"', data, fifo], { stdio: 'ignore' });
    const written = new Promise((resolve) => writer.on('exit', resolve));
    const reader = await opened(fifo);
    expect(reader.total).toBeUndefined();
    expect(await all(reader)).toEqual(EXPECTED);
    expect(await written).toBe(0);
  });

  it('refuses a device or a directory, and a file it cannot open, with a one-line reason', async () => {
    await expect(source.open({ file: '/dev/zero' })).rejects.toThrow('/dev/zero is not a file or a pipe');
    await expect(source.open({ file: dir })).rejects.toThrow(`${dir} is not a file or a pipe`);
    await expect(source.open({ file: join(dir, 'none') })).rejects.toThrow(`cannot read ${join(dir, 'none')}`);
  });
});
