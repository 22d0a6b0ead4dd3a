import { applyDecorators, Header, HttpCode, Type, UseGuards } from '@nestjs/common';
import { ApiBody, ApiConsumes } from '@nestjs/swagger';
import { JsonBodyGuard } from '../../common/json-body.guard';
import { DomainErrorCode as C } from '../../error-codes/domain-error-code.enum';
import { ApiErrorResponses, JSON_BODY_ERRORS } from '../../openapi/api-error-responses.decorator';
import { RateLimitGuard } from '../../rate-limit/rate-limit.guard';
import { ErrorDocumentDto } from './dto/error.response.dto';
import { JSON_API_MEDIA_TYPE, JsonApiUsersErrorCode as J, jsonApiUsersErrors } from './jsonapi-users.error-map';

/** The route's error responses; every route may meet a failing database or an internal error. */
export const ApiErrors = (...conditions: (C | J)[]) =>
  ApiErrorResponses(jsonApiUsersErrors, ErrorDocumentDto, [...conditions, C.DATABASE_UNAVAILABLE, C.INTERNAL]);

/** What a JSON:API body route answers before its attributes are looked at. */
export const BODY_ERRORS = JSON_BODY_ERRORS;

/** Accepts JSON:API and plain JSON bodies alike, with or without a charset, as the web client sends them. */
export const JsonApiBody = (type: Type<unknown>) =>
  applyDecorators(
    HttpCode(200),
    Header('Content-Type', JSON_API_MEDIA_TYPE),
    UseGuards(RateLimitGuard, JsonBodyGuard),
    ApiConsumes(JSON_API_MEDIA_TYPE, 'application/json'),
    ApiBody({ type }),
  );
