import {
  BadRequestException,
  ForbiddenException,
  HttpException,
  HttpStatus,
  MethodNotAllowedException,
  NotFoundException,
  PayloadTooLargeException,
  UnauthorizedException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { DomainErrorCode } from './domain-error-code.enum';
import { DomainError } from './domain-error';
import { toDomainError } from './to-domain-error';

/** An error shaped as body-parser and raw-body raise them (http-errors with a `type`). */
const parserError = (status: number, type: string | undefined, message = `${type} happened`) =>
  Object.assign(new Error(message), { status, type });

/** What a dialect renders from the result: its code and details, exactly. */
const folded = (exception: unknown) => {
  const error = toDomainError(exception);
  expect(error).toBeInstanceOf(DomainError);
  return { code: error.code, details: error.details };
};

describe('toDomainError', () => {
  it('passes a DomainError through as it is', () => {
    const error = new DomainError(DomainErrorCode.EMAIL_TAKEN, { field: 'email' });
    expect(toDomainError(error)).toBe(error);
  });

  it('turns the throttler refusal into RATE_LIMITED', () => {
    expect(folded(new ThrottlerException())).toEqual({ code: DomainErrorCode.RATE_LIMITED, details: {} });
  });

  it.each([
    ['entity.parse.failed', 400, DomainErrorCode.MALFORMED_REQUEST],
    ['entity.verify.failed', 403, DomainErrorCode.MALFORMED_REQUEST],
    ['entity.too.large', 413, DomainErrorCode.PAYLOAD_TOO_LARGE],
    ['charset.unsupported', 415, DomainErrorCode.MALFORMED_REQUEST],
    ['request.aborted', 400, DomainErrorCode.MALFORMED_REQUEST],
    ['request.size.invalid', 400, DomainErrorCode.MALFORMED_REQUEST],
    ['parameters.too.many', 413, DomainErrorCode.MALFORMED_REQUEST],
    ['stream.encoding.set', 500, DomainErrorCode.INTERNAL],
    ['stream.not.readable', 500, DomainErrorCode.INTERNAL],
  ])('maps the body-parser error %s (status %d) to %s, keeping its message', (type, status, code) => {
    expect(folded(parserError(status, type))).toEqual({ code, details: { reason: `${type} happened` } });
  });

  it('names an unsupported content encoding, as body-parser raises it, for the answer', () => {
    const exception = Object.assign(parserError(415, 'encoding.unsupported', 'unsupported content encoding "xz"'), { encoding: 'xz' });
    expect(folded(exception)).toEqual({
      code: DomainErrorCode.CONTENT_ENCODING_UNSUPPORTED,
      details: { reason: 'unsupported content encoding "xz"', params: { encoding: 'xz' } },
    });
  });

  it.each([
    ['control and invisible characters', 'x\u0000z\u202e\u0085\u00ad', 'xz'],
    ['a lone surrogate', 'x\ud800z', 'xz'],
    ['a long value, cut at 32 characters', 'é'.repeat(40), `${'é'.repeat(32)}…`],
    ['no value', undefined, ''],
  ])('quotes an unsupported encoding with %s safely', (_kind, encoding, shown) => {
    const exception = Object.assign(parserError(415, 'encoding.unsupported'), { encoding });
    expect(folded(exception).details.params).toEqual({ encoding: shown });
  });

  it.each([
    ['BadRequestException', DomainErrorCode.MALFORMED_REQUEST, new BadRequestException('bad')],
    ['UnauthorizedException', DomainErrorCode.UNAUTHORIZED, new UnauthorizedException('bad')],
    ['NotFoundException', DomainErrorCode.ROUTE_NOT_FOUND, new NotFoundException('bad')],
    ['MethodNotAllowedException', DomainErrorCode.METHOD_NOT_ALLOWED, new MethodNotAllowedException('bad')],
    ['PayloadTooLargeException', DomainErrorCode.PAYLOAD_TOO_LARGE, new PayloadTooLargeException('bad')],
    ['UnsupportedMediaTypeException', DomainErrorCode.MALFORMED_REQUEST, new UnsupportedMediaTypeException('bad')],
    ['HttpException 429', DomainErrorCode.RATE_LIMITED, new HttpException('bad', HttpStatus.TOO_MANY_REQUESTS)],
    ['ForbiddenException', DomainErrorCode.INTERNAL, new ForbiddenException('bad')],
    ['HttpException 502', DomainErrorCode.INTERNAL, new HttpException('bad', HttpStatus.BAD_GATEWAY)],
  ])('maps a %s to %s by its status', (_name, code, exception) => {
    expect(folded(exception)).toEqual({ code, details: { reason: 'bad' } });
  });

  it.each([
    ['an untyped 400', DomainErrorCode.MALFORMED_REQUEST, parserError(400, undefined, 'incorrect header check')],
    [
      'a 400 of a type not listed',
      DomainErrorCode.MALFORMED_REQUEST,
      parserError(400, 'querystring.parse.rangeError', 'incorrect header check'),
    ],
    ['an untyped 413', DomainErrorCode.PAYLOAD_TOO_LARGE, parserError(413, undefined, 'incorrect header check')],
    ['an untyped 418', DomainErrorCode.MALFORMED_REQUEST, parserError(418, undefined, 'incorrect header check')],
  ])('maps %s by its status to %s', (_kind, code, exception) => {
    expect(folded(exception)).toEqual({ code, details: { reason: 'incorrect header check' } });
  });

  it.each([
    ['a driver code', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })],
    ['a wrapped driver error', Object.assign(new Error('connect ECONNREFUSED'), { driverError: { code: 'ER_SERVER_SHUTDOWN' } })],
    ['a TypeORM connection error', Object.assign(new Error('connect ECONNREFUSED'), { name: 'CannotExecuteNotConnectedError' })],
    ['a fatal driver error', Object.assign(new Error('connect ECONNREFUSED'), { fatal: true })],
  ])('reports the database as unavailable for %s', (_kind, exception) => {
    expect(folded(exception)).toEqual({ code: DomainErrorCode.DATABASE_UNAVAILABLE, details: { reason: 'connect ECONNREFUSED' } });
  });

  it.each([
    ['an Error', new Error('secret detail')],
    ['an untyped 5xx', parserError(500, undefined, 'secret detail')],
    ['a query error', Object.assign(new Error('secret detail'), { code: 'ER_PARSE_ERROR' })],
    ['a string', 'secret detail'],
    ['null', null],
    ['undefined', undefined],
  ])('makes anything else, such as %s, INTERNAL without its words', (_kind, exception) => {
    expect(folded(exception)).toEqual({ code: DomainErrorCode.INTERNAL, details: {} });
  });
});
