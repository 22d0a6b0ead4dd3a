import { Logger } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import express from 'express';
import request from 'supertest';
import { DialectResolver } from '../common/dialect-resolver';
import { assignRequestId } from '../common/request-id';
import { DialectErrorRenderer } from './dialect-error-renderer';
import { DialectExceptionFilter } from './dialect-exception.filter';
import { DomainErrorCode } from './domain-error-code.enum';
import { DomainError } from './domain-error';

describe('DialectExceptionFilter: Retry-After', () => {
  /** 429 as most rows of a wait, 402 as jsonapi-users' lockout, 200 as enduser's code-resend refusal. */
  const STATUSES: Partial<Record<DomainErrorCode, number>> = {
    [DomainErrorCode.LOGIN_LOCKED]: 402,
    [DomainErrorCode.VERIFICATION_CODE_TOO_SOON]: 200,
  };
  const renderer: DialectErrorRenderer = {
    render: (error) => ({ status: STATUSES[error.code as DomainErrorCode] ?? 429, outcome: 'x', body: {} }),
  };
  const filter = new DialectExceptionFilter(
    new DialectResolver([{ name: 'sample', pathPrefixes: ['/sample'], errors: renderer, secretQueryParameters: [] }]),
    { httpAdapter: { getInstance: () => express() } } as unknown as HttpAdapterHost,
  );

  const answer = (error: DomainError, presetRetryAfter?: string) => {
    const app = express();
    app.get('/sample', (req, res) => {
      if (presetRetryAfter !== undefined) {
        res.set('Retry-After', presetRetryAfter);
      }
      filter.answer(error, req, res);
    });
    return request(app).get('/sample');
  };

  it('sends the seconds the error carries, rounded up', async () => {
    const response = await answer(new DomainError(DomainErrorCode.RATE_LIMITED, { retryAfterSeconds: 41.2 }));
    expect(response.status).toBe(429);
    expect(response.headers['retry-after']).toBe('42');
  });

  it('gives a 429 without seconds the per-minute window', async () => {
    expect((await answer(new DomainError(DomainErrorCode.RATE_LIMITED))).headers['retry-after']).toBe('60');
  });

  it('keeps the value the throttler already set', async () => {
    expect((await answer(new DomainError(DomainErrorCode.RATE_LIMITED), '17')).headers['retry-after']).toBe('17');
  });

  it('sends it with a lockout rendered in another status, and never on an error that names no wait', async () => {
    expect((await answer(new DomainError(DomainErrorCode.LOGIN_LOCKED, { retryAfterSeconds: 900 }))).headers['retry-after']).toBe('900');
    expect((await answer(new DomainError(DomainErrorCode.LOGIN_LOCKED))).headers['retry-after']).toBeUndefined();
  });

  it('leaves it off a refusal answered with 200', async () => {
    const response = await answer(new DomainError(DomainErrorCode.VERIFICATION_CODE_TOO_SOON, { retryAfterSeconds: 30 }));
    expect(response.status).toBe(200);
    expect(response.headers['retry-after']).toBeUndefined();
  });
});

describe('DialectExceptionFilter: operator lines', () => {
  const renderer: DialectErrorRenderer = { render: () => ({ status: 500, outcome: 'x', body: {} }) };
  const filter = new DialectExceptionFilter(
    new DialectResolver([{ name: 'sample', pathPrefixes: ['/sample'], errors: renderer, secretQueryParameters: [] }]),
    { httpAdapter: { getInstance: () => express() } } as unknown as HttpAdapterHost,
  );
  afterEach(() => jest.restoreAllMocks());

  const fail = (exception: unknown) => {
    const app = express();
    app.get('/sample', (req, res) => {
      assignRequestId(req, res);
      filter.answer(exception, req, res);
    });
    return request(app).get('/sample').set('x-request-id', 'req-42');
  };

  it('names the request id on an internal failure, with its stack', async () => {
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    await fail(new Error('disk on fire'));
    expect(error).toHaveBeenCalledWith({ req: { id: 'req-42' }, msg: expect.stringContaining('Error: disk on fire') });
  });

  it('names the request id on a failure the operator must fix', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    await fail(new DomainError(DomainErrorCode.MAIL_DELIVERY_FAILED, { reason: 'smtp refused bob@example.com' }));
    expect(warn).toHaveBeenCalledWith({ req: { id: 'req-42' }, msg: 'MAIL_DELIVERY_FAILED: smtp refused b***@example.com' });
  });
});
