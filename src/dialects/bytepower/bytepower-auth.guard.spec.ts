import { createHmac, createSecretKey, generateKeyPairSync } from 'node:crypto';
import { ExecutionContext } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { sign } from 'jsonwebtoken';
import { FakeClock } from '../../../test/utils/fake-clock';
import { DomainErrorCode } from '../../error-codes/domain-error-code.enum';
import { Tenant } from '../../users/entities/tenant.entity';
import { TenantRequest } from '../../users/current-tenant.decorator';
import { AUTH_TOKEN_HEADER, ServerKeyGuard } from './bytepower-auth.guard';
import { ActiveServerKey, ServerKeysService } from './server-keys.service';

const SECRET = 'the-secret-of-key_1-long-enough';
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Signs by hand, for payloads the JWT library would complete (it adds an `iat` of the real time). */
const hs256 = (payload: object, secret = SECRET) => {
  const unsigned = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(payload)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
};

describe('ServerKeyGuard', () => {
  let clock: FakeClock;
  let tenant: Tenant;
  let findActive: jest.Mock<Promise<ActiveServerKey | null>, [string]>;
  let guard: ServerKeyGuard;

  beforeEach(() => {
    clock = new FakeClock();
    tenant = { id: 7, code: 'app1', enabled: true } as Tenant;
    findActive = jest.fn((keyName: string) =>
      Promise.resolve(keyName === 'key_1' ? { keyName, secret: SECRET, verifier: createSecretKey(Buffer.from(SECRET)), tenant } : null),
    );
    guard = new ServerKeyGuard(new JwtService({}), { findActive } as unknown as ServerKeysService, clock);
  });

  const nowSeconds = () => Math.floor(clock.now() / 1000);
  const token = (payload: object = {}, secret = SECRET) =>
    sign({ key_name: 'key_1', iat: nowSeconds(), ...payload }, secret, { algorithm: 'HS256' });

  /** The request after the guard let it through, or the error it refused it with. */
  const admitted = async (headers: Record<string, string>) => {
    const request = { headers } as unknown as TenantRequest;
    const context = { switchToHttp: () => ({ getRequest: () => request }) } as ExecutionContext;
    await expect(guard.canActivate(context)).resolves.toBe(true);
    return request;
  };
  const refusal = (headers: Record<string, string>) => {
    const context = { switchToHttp: () => ({ getRequest: () => ({ headers }) }) } as ExecutionContext;
    return guard.canActivate(context);
  };
  const refused = (reason: string) => ({ code: DomainErrorCode.UNAUTHORIZED, details: { reason } });

  it('attaches the tenant of a valid key to the request', async () => {
    const request = await admitted({ [AUTH_TOKEN_HEADER]: token() });
    expect(request.tenant).toBe(tenant);
    expect(findActive).toHaveBeenCalledWith('key_1');
  });

  it('takes an iat in milliseconds, the unit the vendor documents, as well as in seconds', async () => {
    await expect(admitted({ [AUTH_TOKEN_HEADER]: token({ iat: clock.now() }) })).resolves.toMatchObject({ tenant });
  });

  it('refuses a request without the header, or with an oversized one, before looking up a key', async () => {
    await expect(refusal({})).rejects.toMatchObject(refused('missing token'));
    await expect(refusal({ [AUTH_TOKEN_HEADER]: 'x'.repeat(4097) })).rejects.toMatchObject(refused('missing token'));
    expect(findActive).not.toHaveBeenCalled();
  });

  it.each([
    ['not a JWT', 'not-a-jwt'],
    ['a JWT without key_name', hs256({ iat: 1 })],
    ['a JWT whose key_name is not a string', hs256({ key_name: 42, iat: 1 })],
  ])('refuses %s without looking up a key', async (_kind, malformed) => {
    await expect(refusal({ [AUTH_TOKEN_HEADER]: malformed })).rejects.toMatchObject(refused('unknown or revoked key'));
    expect(findActive).not.toHaveBeenCalled();
  });

  it('refuses a key it does not know, or no longer knows', async () => {
    await expect(refusal({ [AUTH_TOKEN_HEADER]: token({ key_name: 'key_revoked' }) })).rejects.toMatchObject(
      refused('unknown or revoked key'),
    );
    expect(findActive).toHaveBeenCalledWith('key_revoked');
  });

  it('refuses a token signed with another secret', async () => {
    await expect(refusal({ [AUTH_TOKEN_HEADER]: token({}, 'another-secret-long-enough') })).rejects.toMatchObject(
      refused('bad signature or algorithm'),
    );
  });

  it.each([
    ['none', () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ key_name: 'key_1', iat: nowSeconds() })}.`],
    ['HS512', () => sign({ key_name: 'key_1', iat: nowSeconds() }, SECRET, { algorithm: 'HS512' })],
    [
      'RS256',
      () => {
        const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
        return sign({ key_name: 'key_1', iat: nowSeconds() }, privateKey, { algorithm: 'RS256' });
      },
    ],
  ])('refuses the algorithm %s, even for a known key', async (_alg, mint) => {
    await expect(refusal({ [AUTH_TOKEN_HEADER]: mint() })).rejects.toMatchObject(refused('bad signature or algorithm'));
    expect(findActive).toHaveBeenCalledWith('key_1');
  });

  it('refuses a valid signature whose header marks an extension critical (RFC 7515 §4.1.11)', async () => {
    const critical = sign({ key_name: 'key_1', iat: nowSeconds() }, SECRET, {
      algorithm: 'HS256',
      header: { alg: 'HS256', crit: ['b64'], b64: true } as never,
    });
    await expect(refusal({ [AUTH_TOKEN_HEADER]: critical })).rejects.toMatchObject(refused('bad signature or algorithm'));
  });

  it.each([
    ['missing', () => ({})],
    ['not a number', () => ({ iat: String(nowSeconds()) })],
    ['an hour and a second old', () => ({ iat: nowSeconds() - 3601 })],
    ['more than five minutes ahead', () => ({ iat: nowSeconds() + 301 })],
    ['an hour and a second old, in milliseconds', () => ({ iat: clock.now() - 3_601_000 })],
  ])('refuses an iat that is %s', async (_kind, iat) => {
    await expect(refusal({ [AUTH_TOKEN_HEADER]: hs256({ key_name: 'key_1', ...iat() }) })).rejects.toMatchObject(
      refused('iat missing, in the future or too old'),
    );
  });

  it('accepts an iat at the edges of its window, by the clock', async () => {
    await admitted({ [AUTH_TOKEN_HEADER]: token({ iat: nowSeconds() - 3600 }) });
    await admitted({ [AUTH_TOKEN_HEADER]: token({ iat: nowSeconds() + 300 }) });
    const minted = token();
    clock.advance(3601);
    await expect(refusal({ [AUTH_TOKEN_HEADER]: minted })).rejects.toMatchObject(refused('iat missing, in the future or too old'));
  });

  it('refuses a valid key of a disabled app', async () => {
    tenant.enabled = false;
    await expect(refusal({ [AUTH_TOKEN_HEADER]: token() })).rejects.toMatchObject(refused('app disabled'));
  });
});
