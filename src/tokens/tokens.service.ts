import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Clock } from '../clock/clock';

export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

/** Signs and checks the access tokens dialects hand out, with the one server secret and the injected clock. */
@Injectable()
export class TokensService {
  constructor(
    private readonly jwt: JwtService,
    private readonly clock: Clock,
  ) {}

  async issue(subject: string, audience: string, ttlSeconds: number, claims: Record<string, unknown> = {}): Promise<IssuedToken> {
    const iat = Math.floor(this.clock.now() / 1000);
    const token = await this.jwt.signAsync({ ...claims, iat }, { subject, audience, expiresIn: ttlSeconds });
    return { token, expiresAt: new Date((iat + ttlSeconds) * 1000) };
  }

  /** The subject of a valid token for `audience`, or null for an expired, forged or foreign one. */
  async subjectOf(token: string, audience: string): Promise<string | null> {
    try {
      const payload = await this.jwt.verifyAsync<{ sub?: unknown }>(token, {
        audience,
        clockTimestamp: Math.floor(this.clock.now() / 1000),
      });
      return typeof payload.sub === 'string' ? payload.sub : null;
    } catch {
      return null;
    }
  }
}
