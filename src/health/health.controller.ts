import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags, SchemaObject } from '@nestjs/swagger';
import { HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { Response } from 'express';
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
  ) {}

  /** Liveness plus database reachability, in Terminus' report shape either way. */
  @Get()
  @ApiOperation({ operationId: 'healthCheck', summary: 'Liveness and database reachability' })
  @ApiOkResponse({ description: 'the process is up and the database answers', schema: report('ok', { status: 'up' }) })
  @ApiServiceUnavailableResponse({ description: 'the database does not answer', schema: report('error', { status: 'down' }) })
  check(@Res({ passthrough: true }) response: Response) {
    return databaseReport(this.health, this.database, response);
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
  ) {}

  @Get()
  @ApiOperation({ operationId: 'readinessCheck', summary: 'Readiness: 503 from the moment a graceful stop begins, or while the database is away' })
  @ApiOkResponse({ description: 'ready for traffic', schema: report('ok', { status: 'up' }) })
  @ApiServiceUnavailableResponse({
    description: 'stopping (`{"status": "shutting_down"}`) or the database does not answer',
    schema: { oneOf: [report('error', { status: 'down' }), { type: 'object', required: ['status'], properties: { status: { type: 'string', enum: ['shutting_down'] } } }] },
  })
  check(@Res({ passthrough: true }) response: Response) {
    if (this.shutdown.isShuttingDown) {
      response.status(503);
      return { status: 'shutting_down' };
    }
    return databaseReport(this.health, this.database, response);
  }
}

async function databaseReport(health: HealthCheckService, database: TypeOrmHealthIndicator, response: Response) {
  try {
    return await health.check([() => database.pingCheck('database', { timeout: 1500 })]);
  } catch (error) {
    if (error instanceof ServiceUnavailableException) {
      response.status(503);
      return error.getResponse();
    }
    throw error;
  }
}
