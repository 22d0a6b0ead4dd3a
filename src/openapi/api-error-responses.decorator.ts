import { applyDecorators, Type } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import { DialectErrorRenderer } from '../error-codes/dialect-error-renderer';
import { DomainErrorCode } from '../error-codes/domain-error-code.enum';
import { DomainError } from '../error-codes/domain-error';
import { ErrorCode } from '../error-codes/error-code';

/** What a dialect answers for one domain condition: the HTTP status and the dialect's own code. */
/** What every JSON body route may answer before its fields are looked at, in every dialect. */
export const JSON_BODY_ERRORS: readonly DomainErrorCode[] = [
  DomainErrorCode.MALFORMED_REQUEST,
  DomainErrorCode.PAYLOAD_TOO_LARGE,
  DomainErrorCode.CONTENT_ENCODING_UNSUPPORTED,
  DomainErrorCode.RATE_LIMITED,
  DomainErrorCode.UNKNOWN_FIELD,
];

export interface RenderedCondition {
  condition: ErrorCode;
  status: number;
  code: string | number;
}

// Rendered by the dialect's own renderer, so the document shows exactly what the server sends.
const DEFAULT_REQUEST = { headers: {} } as Request;

export function renderConditions(errors: DialectErrorRenderer, conditions: readonly ErrorCode[]): RenderedCondition[] {
  return conditions.map((condition) => {
    const { status, outcome } = errors.render(new DomainError(condition), DEFAULT_REQUEST);
    return { condition, status, code: outcome };
  });
}

/** "`2000` (malformed request, unknown field); `2028` (email required)": each code with the conditions it stands for here. */
export function describeCodes(rendered: readonly RenderedCondition[]): string {
  const byCode = new Map<string | number, string[]>();
  for (const { code, condition } of rendered) {
    byCode.set(code, [...(byCode.get(code) ?? []), condition.toLowerCase().replaceAll('_', ' ')]);
  }
  return [...byCode].map(([code, conditions]) => `\`${code}\` (${conditions.join(', ')})`).join('; ');
}

/**
 * One response per HTTP error status that `conditions` come with on this route, each in the dialect's
 * envelope and naming the dialect's codes. Conditions a dialect answers in HTTP 200 (enduser's business
 * errors) belong to the route's 200 response instead.
 */
export function ApiErrorResponses(errors: DialectErrorRenderer, envelope: Type<unknown>, conditions: readonly ErrorCode[]) {
  const byStatus = new Map<number, RenderedCondition[]>();
  for (const rendered of renderConditions(errors, conditions).filter(({ status }) => status >= 400)) {
    byStatus.set(rendered.status, [...(byStatus.get(rendered.status) ?? []), rendered]);
  }
  return applyDecorators(
    ...[...byStatus]
      .sort(([a], [b]) => a - b)
      .map(([status, rendered]) => ApiResponse({ status, type: envelope, description: describeCodes(rendered) })),
  );
}
