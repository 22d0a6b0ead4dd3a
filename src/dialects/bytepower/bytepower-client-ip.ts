import { isIP } from 'node:net';
import type { Request } from 'express';
import { DomainErrorCode } from '../../error-codes/domain-error-code.enum';
import { DomainError } from '../../error-codes/domain-error';
import { countRequestAs, groupAddress } from '../../rate-limit/client-address';
import { Tenant } from '../../users/entities/tenant.entity';

export const CLIENT_IP_HEADER = 'x-bytepower-client-ip';
/** How the header is named to a client, in the error and in OpenAPI. */
export const CLIENT_IP_HEADER_NAME = 'X-BytePower-Client-IP';

/**
 * Every call comes from the app's server, so its address is every end user's. The server may name its
 * end user's address instead; only a request with a valid server key gets here, so only the app can.
 * The request then counts, for the rate limit and login failures, per app and that address (an IPv6
 * address by its /64), and per app alone without the header.
 */
export function countAsEndUser(request: Request, app: Tenant): void {
  const header = request.headers[CLIENT_IP_HEADER];
  if (header === undefined) {
    countRequestAs(request, `bytepower-app:${app.id}`);
    return;
  }
  // A repeated header arrives joined by commas, which is no address either.
  if (typeof header !== 'string' || isIP(header) === 0 || header.includes('%')) {
    throw new DomainError(DomainErrorCode.VALIDATION_FAILED, { field: CLIENT_IP_HEADER_NAME, reason: 'not an IP address' });
  }
  countRequestAs(request, `bytepower-app:${app.id}:${groupAddress(header)}`);
}
