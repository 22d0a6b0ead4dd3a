import { applyDecorators, Body, Controller, Get, Header, Headers, HttpCode, Ip, Param, Post, Query, Req, Type, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { JsonBodyGuard } from '../../common/json-body.guard';
import { User } from '../../users/entities/user.entity';
import { ErrorDocumentDto } from './dto/error.response.dto';
import { ForumDocumentDto } from './dto/forum.response.dto';
import { JsonApiRequestPipe, RequestAttributes } from './dto/jsonapi-request.pipe';
import { LoginRequestDto } from './dto/login.request.dto';
import { RefreshTokenRequestDto } from './dto/refresh-token.request.dto';
import { RegisterRequestDto } from './dto/register.request.dto';
import { TokenDocumentDto } from './dto/token.response.dto';
import { UserDocumentDto } from './dto/user.response.dto';
import { JSON_API_MEDIA_TYPE } from './jsonapi-users.error-map';
import { JsonApiBearerGuard, Viewer } from './jsonapi-users.guard';
import { JsonApiUsersService } from './jsonapi-users.service';
import { RateLimitGuard } from '../../rate-limit/rate-limit.guard';

const ApiErrors = (...responses: [status: number, description: string][]) =>
  applyDecorators(...responses.map(([status, description]) => ApiResponse({ status, description, type: ErrorDocumentDto })));

const UNAVAILABLE: [number, string] = [503, '`service_unavailable`: the database is unreachable'];
const COMMON_ERRORS: [number, string][] = [
  [400, '`bad_request`: not a JSON:API document, malformed JSON, or a content type other than application/vnd.api+json or application/json'],
  [413, '`payload_too_large`: body over 1 MiB'],
  [429, '`too_many_requests`: over RATE_LIMIT_PER_MINUTE'],
  UNAVAILABLE,
];

/** Accepts JSON:API and plain JSON bodies alike, with or without a charset, as the web client sends them. */
const JsonApiBody = (type: Type<unknown>) =>
  applyDecorators(HttpCode(200), Header('Content-Type', JSON_API_MEDIA_TYPE), UseGuards(RateLimitGuard, JsonBodyGuard), ApiConsumes(JSON_API_MEDIA_TYPE, 'application/json'), ApiBody({ type }));

/** Comma-separated include paths; unknown ones are ignored, as the web client asks for some unireg does not serve. */
const includePaths = (include: unknown): string[] =>
  [include].flat().filter((value): value is string => typeof value === 'string').flatMap((value) => value.split(',')).map((path) => path.trim());

@ApiTags('jsonapi-users (Discuz! Q JSON:API)')
@ApiProduces(JSON_API_MEDIA_TYPE)
@Controller('api')
export class JsonApiUsersController {
  constructor(private readonly jsonApi: JsonApiUsersService) {}

  @Post('register')
  @JsonApiBody(RegisterRequestDto)
  @ApiOperation({ summary: 'Register with username and password; answers the token document (or 401 register_validate in review mode)' })
  @ApiOkResponse({ type: TokenDocumentDto })
  @ApiErrors(
    ...COMMON_ERRORS,
    [401, '`register_close` (registration closed, nothing created) or `register_validate` (created, waiting for review)'],
    [409, '`conflict`: data.type other than users'],
    [422, '`validation_error` or `content_banned`: one error object per failing attribute, source.pointer /data/attributes/<name>'],
  )
  register(@Body(new JsonApiRequestPipe('users')) attributes: RequestAttributes) {
    return this.jsonApi.register(attributes);
  }

  @Post('login')
  @JsonApiBody(LoginRequestDto)
  @ApiOperation({ summary: 'Log in with username and password; answers the token document' })
  @ApiOkResponse({ type: TokenDocumentDto })
  @ApiErrors(
    ...COMMON_ERRORS,
    [401, '`register_validate` (waiting for review) or `validate_reject` (registration rejected)'],
    [402, '`login_failures_times_toplimit`: 5 failures for this username from this client; 15 minutes'],
    [403, '`login_failed`: wrong username or password; detail says how many tries are left'],
    [422, '`validation_error`: username or password missing'],
  )
  login(@Body(new JsonApiRequestPipe()) attributes: RequestAttributes, @Ip() ip: string) {
    return this.jsonApi.login(attributes, ip);
  }

  @Post('refresh-token')
  @JsonApiBody(RefreshTokenRequestDto)
  @ApiOperation({ summary: 'Exchange a refresh token (single use) for a new token document; reusing one revokes its whole family' })
  @ApiOkResponse({ type: TokenDocumentDto })
  @ApiErrors(
    ...COMMON_ERRORS,
    [401, '`invalid_refresh_token` (unknown, expired, used or revoked), `validate_reject` (user rejected since)'],
    [422, '`validation_error`: refresh_token missing'],
  )
  refresh(@Body(new JsonApiRequestPipe()) attributes: RequestAttributes) {
    return this.jsonApi.refresh(attributes);
  }

  @Get('forum')
  @Header('Content-Type', JSON_API_MEDIA_TYPE)
  @ApiOperation({ summary: 'Site and registration settings the web client reads before its forms (set_site, set_reg, passport, qcloud)' })
  @ApiQuery({ name: 'include', required: false, description: 'Accepted (e.g. users) and ignored' })
  @ApiQuery({ name: 'filter[tag]', required: false, description: 'Accepted (e.g. agreement) and ignored: agreement is always there' })
  @ApiBearerAuth()
  @ApiOkResponse({ type: ForumDocumentDto })
  @ApiErrors(UNAVAILABLE)
  forum(@Headers('authorization') authorization: string | undefined, @Req() request: Request) {
    return this.jsonApi.forum(authorization, `${request.protocol}://${request.get('host') ?? 'localhost'}`);
  }

  @Get('users/:id')
  @Header('Content-Type', JSON_API_MEDIA_TYPE)
  @UseGuards(JsonApiBearerGuard)
  @ApiOperation({ summary: 'A member of the site, for the holder of an access token' })
  @ApiParam({ name: 'id', example: '1' })
  @ApiQuery({ name: 'include', required: false, description: 'groups adds the included group resources; other paths are ignored' })
  @ApiBearerAuth()
  @ApiOkResponse({ type: UserDocumentDto })
  @ApiErrors(
    [401, '`access_denied`: Bearer token missing, expired, forged, or of a user no longer active'],
    [404, '`model_not_found`: no such active member'],
    UNAVAILABLE,
  )
  user(@Viewer() viewer: User, @Param('id') id: string, @Query('include') include: unknown) {
    return this.jsonApi.user(viewer, id, includePaths(include));
  }
}
