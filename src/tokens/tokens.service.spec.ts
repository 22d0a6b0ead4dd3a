import { JwtService } from '@nestjs/jwt';
import { decode } from 'jsonwebtoken';
import { FakeClock } from '../../test/utils/fake-clock';
import { AppConfig } from '../config/app-config';
import { User, UserStatus } from '../users/entities/user.entity';
import { UsersService } from '../users/users.service';
import { RefreshTokensService } from './refresh-tokens.service';
import { TokensService } from './tokens.service';

const AUDIENCE = 'site:site';

describe('TokensService', () => {
  const clock = new FakeClock();
  const secret = 'unit-test-secret-long-enough';
  // Tokens the tests forge are signed by another library's code path from the same secret string.
  const jwt = new JwtService({
    secret,
    signOptions: { algorithm: 'HS256', issuer: 'unireg' },
    verifyOptions: { algorithms: ['HS256'], issuer: 'unireg' },
  });
  const user = Object.assign(new User(), { id: 7, tenantId: 3, status: UserStatus.Active, tokenEpoch: 2 });
  let findSignedIn: jest.Mock;
  let familyHeldBy: jest.Mock;
  let tokens: TokensService;

  beforeEach(() => {
    findSignedIn = jest.fn((tenantId: number, id: number, epoch: number) =>
      Promise.resolve(tenantId === user.tenantId && id === user.id && epoch === user.tokenEpoch ? user : null),
    );
    familyHeldBy = jest.fn((familyId: string, userId: number) => Promise.resolve(familyId === 'family' && userId === user.id));
    tokens = new TokensService(
      { security: { jwtSecret: secret } } as AppConfig,
      clock,
      { findSignedIn } as unknown as UsersService,
      { familyHeldBy } as unknown as RefreshTokensService,
    );
  });

  const claimsOf = (token: string) => decode(token, { json: true })!;

  it('binds a token to its user, epoch and family, with a jti no caller can override', async () => {
    const forged = { jti: 'mine', epoch: 99, sid: 'other' };
    const { token } = await tokens.issue(user, AUDIENCE, 60, { familyId: 'family', claims: { ...forged, userpoolId: 'p' } });
    expect(claimsOf(token)).toMatchObject({ sub: '7', epoch: 2, sid: 'family', aud: AUDIENCE, userpoolId: 'p' });
    expect(claimsOf(token).jti).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('makes two tokens of one user in one second differ', async () => {
    const [a, b] = await Promise.all([tokens.issue(user, AUDIENCE, 60), tokens.issue(user, AUDIENCE, 60)]);
    expect(a.token).not.toBe(b.token);
    expect(claimsOf(a.token).sid).toBeUndefined();
  });

  it('finds the user of a token while its epoch and its family hold', async () => {
    const { token } = await tokens.issue(user, AUDIENCE, 60, { familyId: 'family' });
    await expect(tokens.userOf(3, token, AUDIENCE)).resolves.toBe(user);
    expect(findSignedIn).toHaveBeenCalledWith(3, 7, 2);
    expect(familyHeldBy).toHaveBeenCalledWith('family', 7);
  });

  it.each([
    ["its family is revoked, unknown or not its user's", { familyId: 'revoked' }, 3, AUDIENCE],
    ['the tenant differs', {}, 4, AUDIENCE],
    ['the audience differs', {}, 3, 'userpool:demo'],
  ])('refuses a token when %s', async (_label, options, tenantId, audience) => {
    const { token } = await tokens.issue(user, AUDIENCE, 60, options);
    await expect(tokens.userOf(tenantId, token, audience)).resolves.toBeNull();
  });

  it('refuses a token of an older epoch', async () => {
    const { token } = await tokens.issue({ id: 7, tokenEpoch: 1 }, AUDIENCE, 60);
    await expect(tokens.userOf(3, token, AUDIENCE)).resolves.toBeNull();
  });

  it('refuses an expired token, by the clock', async () => {
    const { token } = await tokens.issue(user, AUDIENCE, 60);
    clock.advance(60);
    await expect(tokens.userOf(3, token, AUDIENCE)).resolves.toBeNull();
  });

  it.each([
    ['no jti or epoch', { sub: '7' }],
    ['no jti', { sub: '7', epoch: 2 }],
    ['an epoch that is no integer', { sub: '7', jti: 'j', epoch: '2' }],
    ['a family that is no string', { sub: '7', jti: 'j', epoch: 2, sid: 1 }],
    ['an empty family', { sub: '7', jti: 'j', epoch: 2, sid: '' }],
    ['a subject that is no user id', { sub: '7e0', jti: 'j', epoch: 2 }],
    ['a prototype key for a subject', { sub: '__proto__', jti: 'j', epoch: 2 }],
  ])('refuses a correctly signed token with %s, without a look-up', async (_label, payload) => {
    const token = await jwt.signAsync(payload, { audience: AUDIENCE, expiresIn: 60 });
    await expect(tokens.userOf(3, token, AUDIENCE)).resolves.toBeNull();
    expect(findSignedIn).not.toHaveBeenCalled();
  });

  it.each([
    ['a critical header extension', { crit: ['exp'] }],
    ['an empty crit list', { crit: [] }],
  ])('refuses a correctly signed token with %s, without a look-up', async (_label, header) => {
    const token = await jwt.signAsync(
      { sub: '7', jti: 'j', epoch: 2 },
      { audience: AUDIENCE, expiresIn: 60, header: { alg: 'HS256', ...header } },
    );
    await expect(tokens.userOf(3, token, AUDIENCE)).resolves.toBeNull();
    expect(findSignedIn).not.toHaveBeenCalled();
  });

  it('refuses a token without a family where the audience requires one, without a look-up', async () => {
    const { token } = await tokens.issue(user, AUDIENCE, 60);
    await expect(tokens.userOf(3, token, AUDIENCE)).resolves.toBe(user);
    findSignedIn.mockClear();
    await expect(tokens.userOf(3, token, AUDIENCE, { familyRequired: true })).resolves.toBeNull();
    expect(findSignedIn).not.toHaveBeenCalled();
    const withFamily = await tokens.issue(user, AUDIENCE, 60, { familyId: 'family' });
    await expect(tokens.userOf(3, withFamily.token, AUDIENCE, { familyRequired: true })).resolves.toBe(user);
  });

  it('reads the expiry of a token it issued, and none of a token without exp', async () => {
    const issued = await tokens.issue(user, AUDIENCE, 60);
    expect(tokens.expiryOf(issued.token)).toEqual(issued.expiresAt);
    expect(tokens.expiryOf(await jwt.signAsync({ sub: '7' }))).toBeNull();
    expect(tokens.expiryOf('not-a-jwt')).toBeNull();
  });
});
