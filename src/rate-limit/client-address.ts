import { isIPv4 } from 'node:net';
import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { normalizeIp } from '@nestjs/throttler';
import type { Request } from 'express';

/**
 * One IPv6 client holds a whole /64 (SLAAC, privacy addresses), so a client counts by its /64; an
 * IPv4-mapped address counts as its IPv4 address.
 */
export const IPV6_CLIENT_PREFIX = 64;

const CLIENT = Symbol('rate-limit client');

type ClientRequest = Request & { [CLIENT]?: string };

/** `ip` as a client of the counters: IPv6 grouped by /64, a zone id dropped, IPv4-mapped read as IPv4. */
export function groupAddress(ip: string): string {
  return normalizeIp(ip, IPV6_CLIENT_PREFIX);
}

/**
 * Names the client a request counts against, for a caller that knows better than the socket: a guard
 * that authenticated an app server speaking for its end users (bytepower's `X-BytePower-Client-IP`).
 */
export function countRequestAs(request: Request, client: string): void {
  (request as ClientRequest)[CLIENT] = client;
}

/**
 * The client the per-IP rate limit and the login-failure counters count this request against: what a
 * guard named with `countRequestAs`, else the address Express found (`req.ip`, see TRUST_PROXY), grouped.
 */
export function clientOf(request: Request): string {
  return (request as ClientRequest)[CLIENT] ?? `ip:${groupAddress(request.ip ?? '')}`;
}

/** The handler parameter `clientOf(request)`, for a login's failure counters. */
export const CountedClient = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  clientOf(context.switchToHttp().getRequest<Request>()),
);

/**
 * The client's own address, ungrouped, as the rate limit reads it (`req.ip`, see TRUST_PROXY), an IPv4-mapped
 * one as IPv4: what a sign-in records as the user's last address. Undefined when Express found none.
 */
export function clientAddressOf(request: Request): string | undefined {
  const ip = request.ip;
  if (!ip) {
    return undefined;
  }
  const mapped = /^::ffff:(.+)$/i.exec(ip)?.[1];
  return mapped !== undefined && isIPv4(mapped) ? mapped : ip;
}

/** The handler parameter `clientAddressOf(request)`. */
export const ClientAddress = createParamDecorator((_data: unknown, context: ExecutionContext) =>
  clientAddressOf(context.switchToHttp().getRequest<Request>()),
);
