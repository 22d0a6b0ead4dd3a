import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { DomainErrorCode } from '../error-codes/domain-error-code.enum';
import { DomainError } from '../error-codes/domain-error';

/** For JSON-only dialects: a form or text body is a malformed request, not a request with missing fields. */
@Injectable()
export class JsonBodyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    if (!request.is(['application/json', 'application/*+json'])) {
      throw new DomainError(DomainErrorCode.MALFORMED_REQUEST, { reason: 'Content-Type must be application/json' });
    }
    return true;
  }
}
