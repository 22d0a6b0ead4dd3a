import { Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags, SchemaObject } from '@nestjs/swagger';
import { HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { Response } from 'express';
import type Redis from 'ioredis';
import { REDIS, redisAnswers } from '../redis/redis.module';
import { ShutdownService } from './shutdown.service';

/** Terminus' report: each indicator (here only `database`) under `details`, and under `info` or `error`. */
const report = (status: 'ok' | 'error', database: object): SchemaObject => {
  const indicators: SchemaObject = {
    type: 'object',
    additionalProperties: { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['up', 'down'] } } },
  };
  return {
    type: 'object',
    required: ['status', 'details'],
    properties: { status: { type: 'string', enum: [status] }, info: indicators, error: indicators, details: indicators },
    example: { status, info: status === 'ok' ? { database } : {}, error: status === 'ok' ? {} : { database }, details: { database } },
  };
};

@ApiTags('operations')
@Controller('healthz')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    @Inject(REDIS) private readonly redis: Redis | null,
  ) {}

  /** Liveness plus database reachability, in Terminus' report shape either way. */
  @Get()
  @ApiOperation({ operationId: 'healthCheck', summary: 'Liveness and database reachability' })
  @ApiOkResponse({ description: 'the process is up and the database answers', schema: report('ok', { status: 'up' }) })
  @ApiServiceUnavailableResponse({ description: 'the database does not answer', schema: report('error', { status: 'down' }) })
  check(@Res({ passthrough: true }) response: Response) {
    return healthReport(this.health, this.database, this.redis, response);
  }
}

/** Whether this instance should get traffic: not while it stops, nor while its database is away. */
@ApiTags('operations')
@Controller('readyz')
export class ReadinessController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly shutdown: ShutdownService,
    @Inject(REDIS) private readonly redis: Redis | null,
  ) {}

  @Get()
  @ApiOperation({
    operationId: 'readinessCheck',
    summary: 'Readiness: 503 from the moment a graceful stop begins, or while the database is away',
  })
  @ApiOkResponse({ description: 'ready for traffic', schema: report('ok', { status: 'up' }) })
  @ApiServiceUnavailableResponse({
    description: 'stopping (`{"status": "shutting_down"}`) or the database does not answer',
    schema: {
      oneOf: [
        report('error', { status: 'down' }),
        { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['shutting_down'] } } },
      ],
    },
  })
  check(@Res({ passthrough: true }) response: Response) {
    if (this.shutdown.isShuttingDown) {
      response.status(503);
      return { status: 'shutting_down' };
    }
    return healthReport(this.health, this.database, this.redis, response);
  }
}

/**
 * The database decides the status; Redis, when configured, is reported beside it as `up` or `degraded`
 * without failing the check, since the rate limits fail open while it is away.
 */
async function healthReport(health: HealthCheckService, database: TypeOrmHealthIndicator, redis: Redis | null, response: Response) {
  const redisState = redis === null ? undefined : { redis: { status: (await redisAnswers(redis)) ? 'up' : 'degraded' } };
  let result: Record<string, unknown>;
  try {
    result = { ...(await health.check([() => database.pingCheck('database', { timeout: 1500 })])) };
  } catch (error) {
    if (!(error instanceof ServiceUnavailableException)) {
      throw error;
    }
    response.status(503);
    result = { ...(error.getResponse() as Record<string, unknown>) };
  }
  return redisState ? { ...result, details: { ...(result.details as object), ...redisState } } : result;
}
