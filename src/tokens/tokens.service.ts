import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';

export interface IssuedToken {
  token: string;
  expiresAt: Date;
}

/** Signs the access tokens every dialect hands out, with the one server secret. */
@Injectable()
export class TokensService {
  constructor(private readonly jwt: JwtService) {}

  async issue(subject: string, audience: string, ttlSeconds: number, claims: Record<string, unknown> = {}): Promise<IssuedToken> {
    const token = await this.jwt.signAsync(claims, { subject, audience, expiresIn: ttlSeconds });
    const { exp } = this.jwt.decode<{ exp: number }>(token);
    return { token, expiresAt: new Date(exp * 1000) };
  }
}
