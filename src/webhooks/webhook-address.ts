import { lookup, LookupAddress, LookupAllOptions } from 'node:dns';
import { promises as dns } from 'node:dns';
import { isIP, LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/** A webhook URL unireg will not call, with the reason an operator reads. */
export class WebhookUrlError extends Error {}

const IPV4_COMPATIBLE = ipaddr.IPv6.parseCIDR('::/96');

/**
 * Why `address` is no place for a webhook (ipaddr.js's name for its range: loopback, private, linkLocal,
 * uniqueLocal, carrierGradeNat, multicast, unspecified, reserved, 6to4, teredo, ...), or undefined for a
 * public unicast address. IPv4-mapped IPv6 is judged as the IPv4 address it carries; the other IPv6
 * transition forms (IPv4-compatible, 6to4, Teredo, NAT64) are refused whole, since they can tunnel to any IPv4 address.
 */
export function refusedRange(address: string): string | undefined {
  const parsed = ipaddr.process(hexTail(address));
  const range = parsed.range();
  // ipaddr.js calls IPv4-compatible IPv6 (::/96, deprecated, once a way to tunnel IPv4) unicast: ::7f00:1 is 127.0.0.1.
  if (range === 'unicast' && parsed instanceof ipaddr.IPv6 && parsed.match(IPV4_COMPATIBLE)) {
    return 'ipv4Compatible';
  }
  return range === 'unicast' ? undefined : range;
}

/**
 * An IPv6 address with its dotted IPv4 tail (`::127.0.0.1`, as a resolver prints ::/96) written in hex: ipaddr.js
 * reads any `::a.b.c.d` as IPv4-mapped (`::ffff:a.b.c.d`), which would judge ::8.8.8.8 as the public 8.8.8.8.
 */
function hexTail(address: string): string {
  const tail = isIP(address) === 6 ? /^(.*:)(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address) : null;
  if (!tail) {
    return address;
  }
  const [a, b, c, d] = tail.slice(2).map(Number);
  return `${tail[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
}

function refusal(host: string, address: string, range: string): WebhookUrlError {
  const shown = host === address ? address : `${host} resolves to ${address}, which`;
  return new WebhookUrlError(`${shown} is a ${range} address; set WEBHOOK_ALLOW_PRIVATE=true to allow it`);
}

/** The host of a URL as a resolver or `isIP` takes it: an IPv6 literal without its brackets. */
export function bareHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

/** Parses and checks a webhook URL as `webhooks add` takes it: http(s), a host, no credentials, at most 2048 characters. */
export function parseWebhookUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new WebhookUrlError(`${JSON.stringify(text)} is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new WebhookUrlError(`the URL must be http:// or https://, not ${url.protocol}`);
  }
  if (!url.hostname) {
    throw new WebhookUrlError('the URL must name a host');
  }
  // Credentials would be stored, listed and logged in the clear; the signature already proves the sender.
  if (url.username || url.password) {
    throw new WebhookUrlError('the URL must not carry credentials (user:password@); receivers verify the signature instead');
  }
  if (text.length > 2048) {
    throw new WebhookUrlError('the URL must be at most 2048 characters');
  }
  return url;
}

/** Refuses a URL whose host is, or resolves to, an address that is not public unicast (every address it resolves to). */
export async function assertPublicHost(url: URL): Promise<void> {
  const host = bareHost(url);
  if (isIP(host)) {
    const range = refusedRange(host);
    if (range) throw refusal(host, host, range);
    return;
  }
  let addresses: LookupAddress[];
  try {
    addresses = await dns.lookup(host, { all: true, verbatim: true });
  } catch (error) {
    throw new WebhookUrlError(`${host} does not resolve (${(error as { code?: string }).code ?? (error as Error).message})`);
  }
  for (const { address } of addresses) {
    const range = refusedRange(address);
    if (range) throw refusal(host, address, range);
  }
}

/**
 * A `lookup` for node:http that resolves as usual and then refuses the connection when any address is not
 * public unicast. It judges the very addresses the socket connects to, so a name that resolved to a public
 * address when the endpoint was added and to 127.0.0.1 now (DNS rebinding) is refused.
 */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  lookup(hostname, { ...options, all: true } as LookupAllOptions, (error, addresses) => {
    if (error) {
      callback(error, '', 4);
      return;
    }
    for (const { address } of addresses) {
      const range = refusedRange(address);
      if (range) {
        callback(Object.assign(refusal(hostname, address, range), { code: 'EWEBHOOKPRIVATE' }), '', 4);
        return;
      }
    }
    if ((options as { all?: boolean }).all) {
      (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, addresses);
    } else {
      callback(null, addresses[0].address, addresses[0].family);
    }
  });
};
