import { CanActivate, createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { EnduserTokensService, SignedInEnduser } from './enduser-tokens.service';

const SIGNED_IN = Symbol('enduser signed-in user');
type SignedInRequest = Request & { [SIGNED_IN]?: SignedInEnduser };

/** Admits a request whose `Authorization` holds a live enduser access token (5106 without one, 5032 for a bad one). */
@Injectable()
export class EnduserAuthGuard implements CanActivate {
  constructor(private readonly tokens: EnduserTokensService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<SignedInRequest>();
    request[SIGNED_IN] = await this.tokens.signedIn(request.headers.authorization);
    return true;
  }
}

/** The caller EnduserAuthGuard admitted. */
export const SignedIn = createParamDecorator((_data: unknown, context: ExecutionContext): SignedInEnduser => {
  const signedIn = context.switchToHttp().getRequest<SignedInRequest>()[SIGNED_IN];
  if (!signedIn) {
    throw new Error('@SignedIn() on a route without EnduserAuthGuard');
  }
  return signedIn;
});
