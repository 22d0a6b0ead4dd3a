import { isIP } from 'node:net';

/** What Express accepts for `trust proxy`: false (the socket address), a hop count, or addresses/CIDRs/names. */
export type TrustProxy = false | number | string[];

/**
 * Each trusted hop lets one more `X-Forwarded-For` entry, counted from the right, name the client. A count
 * above the real chain (a CDN, a load balancer, an ingress: one to three hops) reads entries the client
 * wrote itself, so the count is kept small.
 */
export const MAX_PROXY_HOPS = 5;

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

type Family = 4 | 6;

/** A range of addresses of one family, both ends included. */
interface Range {
  start: bigint;
  end: bigint;
}

/** Where an IPv4 address sits in an IPv6 one: its pieces, each as (first bit, width), bit 0 the highest. */
type Layout = readonly (readonly [offset: number, width: number])[];

const LOW_32: Layout = [[96, 32]];

/**
 * IPv6 blocks whose addresses stand for IPv4 clients, so a range over them counts as the IPv4 addresses
 * it embeds: proxy-addr matches IPv4 clients against `::ffff:0:0/96`; behind a NAT64 translator every
 * IPv4 client arrives from `64:ff9b::/96` (RFC 6052), or from a prefix of 48 to 96 bits the operator
 * picks inside `64:ff9b:1::/48` (RFC 8215), each length placing the address differently (RFC 6052 2.2).
 */
const EMBEDDINGS: { block: Range; layouts: Layout[] }[] = [
  { block: rangeOf('::ffff:0:0/96')!.range, layouts: [LOW_32] },
  { block: rangeOf('64:ff9b::/96')!.range, layouts: [LOW_32] },
  {
    block: rangeOf('64:ff9b:1::/48')!.range,
    layouts: [
      [
        [48, 16],
        [72, 16],
      ],
      [
        [56, 8],
        [72, 24],
      ],
      [[72, 32]],
      LOW_32,
    ],
  },
];

/** Where a proxy may sit without trusting the internet: loopback, private, shared (RFC 6598) and link-local. */
const PRIVATE: Record<Family, Range[]> = {
  4: ['10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16'].map(
    (cidr) => rangeOf(cidr)!.range,
  ),
  6: ['::1/128', 'fc00::/7', 'fe80::/10'].map((cidr) => rangeOf(cidr)!.range),
};

/**
 * The public addresses one setting may trust in all: an IPv4 /8, or an IPv6 /32 (a provider's allocation).
 * Wider, most of the internet could name its own address, which makes every per-client limit moot.
 */
const PUBLIC_BUDGET: Record<Family, bigint> = { 4: 1n << 24n, 6: 1n << 96n };

const SHAPE = `must be a hop count from 1 to ${MAX_PROXY_HOPS}, loopback, linklocal, uniquelocal, or comma-separated addresses/CIDRs`;
const TOO_WIDE =
  'trusts too many public addresses: at most an IPv4 /8 and an IPv6 /32 in all (IPv4-mapped and NAT64 ranges count as IPv4), else a client could choose its own address';

/**
 * TRUST_PROXY as Express's `trust proxy` setting, or why it is refused. "true" (trust every hop) is refused
 * with every catch-all, however it is spelt: `0.0.0.0/0`, `::ffff:0:0/96`, `::/8`, or many narrower ranges.
 */
export function readTrustProxy(value: string | undefined): { trustProxy: TrustProxy } | { refused: string } {
  if (value === undefined || value === 'false') {
    return { trustProxy: false };
  }
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return hops >= 1 && hops <= MAX_PROXY_HOPS ? { trustProxy: hops } : { refused: SHAPE };
  }
  const parts = value.split(',').map((part) => part.trim());
  const trusted: Record<Family, Range[]> = { 4: [], 6: [] };
  for (const part of parts) {
    if (PROXY_NAMES.has(part)) {
      continue;
    }
    const parsed = rangeOf(part);
    if (!parsed) {
      return { refused: SHAPE };
    }
    if (parsed.family === 4) {
      trusted[4].push(parsed.range);
    } else {
      let rest = [parsed.range];
      for (const { block, layouts } of EMBEDDINGS) {
        rest = rest.flatMap((range) => {
          const { inside, outside } = split(range, block);
          trusted[4].push(...(inside ? layouts.map((layout) => embedded(inside, layout)) : []));
          return outside;
        });
      }
      trusted[6].push(...rest);
    }
  }
  const tooWide = ([4, 6] as const).some((family) => publicSize(trusted[family], PRIVATE[family]) > PUBLIC_BUDGET[family]);
  return tooWide ? { refused: TOO_WIDE } : { trustProxy: parts.map(withHexTail) };
}

/**
 * proxy-addr takes a dotted IPv4 tail in an IPv6 address only after `::ffff:`, and throws on any other
 * (`64:ff9b::10.0.0.0`), so the tail is handed on as two hex groups (`64:ff9b::a00:0`).
 */
function withHexTail(part: string): string {
  const [address, ...bits] = part.split('/');
  return isIP(address) === 6 ? [hexTail(address), ...bits].join('/') : part;
}

function hexTail(address: string): string {
  const lastColon = address.lastIndexOf(':');
  if (!address.includes('.', lastColon)) {
    return address;
  }
  const tail = ipv4Value(address.slice(lastColon + 1));
  return `${address.slice(0, lastColon + 1)}${(tail >> 16n).toString(16)}:${(tail & 0xffffn).toString(16)}`;
}

/** An address or CIDR as Express reads it (IPv4-mapped addresses stay IPv6 here); null when malformed. */
function rangeOf(part: string): { family: Family; range: Range } | null {
  const [address, bits, extra] = part.split('/');
  const family = isIP(address);
  if ((family !== 4 && family !== 6) || address.includes('%') || extra !== undefined) {
    return null;
  }
  const width = family === 4 ? 32 : 128;
  if (bits !== undefined && !(/^\d{1,3}$/.test(bits) && Number(bits) <= width)) {
    return null;
  }
  const hostBits = BigInt(width - (bits === undefined ? width : Number(bits)));
  const size = 1n << hostBits;
  const start = ((family === 4 ? ipv4Value(address) : ipv6Value(address)) >> hostBits) << hostBits;
  return { family, range: { start, end: start + size - 1n } };
}

function ipv4Value(address: string): bigint {
  return address.split('.').reduce((value, octet) => (value << 8n) | BigInt(Number(octet)), 0n);
}

/** An address `isIP` accepted as IPv6, as a number (a dotted IPv4 tail included). */
function ipv6Value(address: string): bigint {
  const [head, rest] = hexTail(address).split('::');
  const left = head ? head.split(':') : [];
  const right = rest ? rest.split(':') : [];
  const groups = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return groups.reduce((value, group) => (value << 16n) | BigInt(parseInt(group, 16)), 0n);
}

/**
 * The IPv4 addresses an IPv6 range stands for when they sit at `layout`: those whose bits the range
 * fixes, the rest free. A range that is no CIDR block counts as the smallest block around it.
 */
function embedded(range: Range, layout: Layout): Range {
  const differing = range.start ^ range.end;
  const prefix = differing === 0n ? 128 : 128 - differing.toString(2).length;
  let value = 0n;
  let fixed = 0;
  for (const [offset, width] of layout) {
    value = (value << BigInt(width)) | ((range.start >> BigInt(128 - offset - width)) & ((1n << BigInt(width)) - 1n));
    fixed += Math.min(width, Math.max(0, prefix - offset));
  }
  const size = 1n << BigInt(32 - fixed);
  const start = (value / size) * size;
  return { start, end: start + size - 1n };
}

/** The part of `range` inside `block`, and the at most two parts outside it. */
function split(range: Range, block: Range): { inside?: Range; outside: Range[] } {
  const start = range.start > block.start ? range.start : block.start;
  const end = range.end < block.end ? range.end : block.end;
  if (start > end) {
    return { outside: [range] };
  }
  const outside: Range[] = [];
  if (range.start < start) {
    outside.push({ start: range.start, end: start - 1n });
  }
  if (range.end > end) {
    outside.push({ start: end + 1n, end: range.end });
  }
  return { inside: { start, end }, outside };
}

/** How many addresses the union of `ranges` holds outside `excluded` (disjoint ranges). */
function publicSize(ranges: Range[], excluded: Range[]): bigint {
  const sorted = [...ranges].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const union: Range[] = [];
  for (const range of sorted) {
    const last = union[union.length - 1];
    if (last && range.start <= last.end + 1n) {
      last.end = range.end > last.end ? range.end : last.end;
    } else {
      union.push({ ...range });
    }
  }
  let size = 0n;
  for (const range of union) {
    size += range.end - range.start + 1n;
    for (const block of excluded) {
      size -= sizeOf(split(range, block).inside);
    }
  }
  return size;
}

function sizeOf(range: Range | undefined): bigint {
  return range ? range.end - range.start + 1n : 0n;
}
