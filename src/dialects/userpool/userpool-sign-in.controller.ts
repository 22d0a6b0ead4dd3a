import { applyDecorators, Body, Controller, Get, Head, HttpCode, Post, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiExcludeEndpoint, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { JsonBodyGuard } from '../../common/json-body.guard';
import { DomainErrorCode as C } from '../../error-codes/domain-error-code.enum';
import { DomainError } from '../../error-codes/domain-error';
import { ErrorCode } from '../../error-codes/error-code';
import { ApiErrorResponses, JSON_BODY_ERRORS } from '../../openapi/api-error-responses.decorator';
import { ClientAddress, CountedClient } from '../../rate-limit/client-address';
import { RateLimitGuard } from '../../rate-limit/rate-limit.guard';
import { CurrentTenant } from '../../users/current-tenant.decorator';
import { Tenant } from '../../users/entities/tenant.entity';
import { LoginAccountRequestDto } from './dto/login-account.request.dto';
import { LoginEmailCodeRequestDto } from './dto/login-email-code.request.dto';
import { ResetPasswordEmailRequestDto } from './dto/reset-password-email.request.dto';
import { SendEmailRequestDto } from './dto/send-email.request.dto';
import { UpdatePasswordRequestDto } from './dto/update-password.request.dto';
import {
  UserpoolDoneResponseDto,
  UserpoolErrorResponseDto,
  UserpoolRegisterResponseDto,
  UserpoolTokenResponseDto,
} from './dto/userpool-response.dto';
import { UserpoolSignInService } from './userpool-sign-in.service';
import { CurrentSignIn, SignedIn, UserpoolTokenGuard } from './userpool-token.guard';
import { UserpoolErrorCode as U, userpoolErrors } from './userpool.error-map';
import { USERPOOL_HEADER, UserpoolSignInGuard } from './userpool.guard';

const ok = <T>(data: T) => ({ code: 0, success: true, msg: 'success', data });

/** What every route may answer: the pool header, and a failing service. */
const ApiUserpoolErrors = (...conditions: ErrorCode[]) =>
  ApiErrorResponses(userpoolErrors, UserpoolErrorResponseDto, [
    C.TENANT_REQUIRED,
    C.TENANT_NOT_FOUND,
    ...conditions,
    C.DATABASE_UNAVAILABLE,
    C.INTERNAL,
  ]);

/** What a JSON body route answers before its fields are looked at. */
const BODY_ERRORS = [...JSON_BODY_ERRORS, C.VALIDATION_FAILED];
const EMAIL_ERRORS = [C.EMAIL_REQUIRED, C.EMAIL_INVALID];
const CODE_ERRORS = [C.VERIFICATION_CODE_REQUIRED, C.VERIFICATION_CODE_INVALID, C.VERIFICATION_CODE_EXPIRED];
const NEW_PASSWORD_ERRORS = [C.PASSWORD_REQUIRED, C.PASSWORD_INVALID, C.PASSWORD_TOO_WEAK];

/** A JSON body route: the per-client rate limit, then the pool, then the content type. */
const BodyRoute = () => UseGuards(RateLimitGuard, UserpoolSignInGuard, JsonBodyGuard);

/** A route for a signed-in user: the pool, then its Bearer token (2020 without a live one); with a body, rate-limited and JSON too. */
const SignedInRoute = ({ body = false } = {}) =>
  applyDecorators(
    body
      ? UseGuards(RateLimitGuard, UserpoolSignInGuard, UserpoolTokenGuard, JsonBodyGuard)
      : UseGuards(UserpoolSignInGuard, UserpoolTokenGuard),
    ApiBearerAuth(),
  );

/** Authing v2's sign-in siblings of the register routes (docs/dialects/userpool.md). */
@ApiTags('userpool (YeeAuth / Authing v2)')
@ApiHeader({ name: USERPOOL_HEADER, required: true, description: 'IAM userpool id' })
@Controller('api/v1')
export class UserpoolSignInController {
  constructor(private readonly signIn: UserpoolSignInService) {}

  @Post('login/account')
  @HttpCode(200)
  @BodyRoute()
  @ApiOperation({ operationId: 'userpoolLoginByAccount', summary: 'Log in with an email, phone or username and the password' })
  @ApiOkResponse({ type: UserpoolRegisterResponseDto, description: 'The user, with `token` and `tokenExpiredAt`' })
  @ApiUserpoolErrors(...BODY_ERRORS, C.PASSWORD_REQUIRED, C.PASSWORD_INVALID, C.CREDENTIALS_INVALID, C.LOGIN_LOCKED, C.ACCOUNT_DISABLED)
  async loginByAccount(
    @CurrentTenant() pool: Tenant,
    @Body() body: LoginAccountRequestDto,
    @CountedClient() client: string,
    @ClientAddress() ip: string | undefined,
  ) {
    return ok(await this.signIn.loginByAccount(pool, body, { client, ip }));
  }

  @Post('email/send')
  @HttpCode(200)
  @BodyRoute()
  @ApiOperation({ operationId: 'userpoolSendEmail', summary: 'Mail a code for registration, sign-in or password reset' })
  @ApiOkResponse({ type: UserpoolDoneResponseDto })
  @ApiUserpoolErrors(
    ...BODY_ERRORS,
    ...EMAIL_ERRORS,
    C.VERIFICATION_TYPE_UNSUPPORTED,
    C.TENANT_DISABLED,
    C.EMAIL_TAKEN,
    U.USER_NOT_FOUND,
    C.VERIFICATION_CODE_TOO_SOON,
    C.MAIL_DELIVERY_FAILED,
  )
  async sendEmail(@CurrentTenant() pool: Tenant, @Body() body: SendEmailRequestDto) {
    await this.signIn.sendEmail(pool, body);
    return ok({});
  }

  @Post('login/email-code')
  @HttpCode(200)
  @BodyRoute()
  @ApiOperation({ operationId: 'userpoolLoginByEmailCode', summary: 'Log in with a code mailed by email/send (LOGIN_VERIFY_CODE)' })
  @ApiOkResponse({ type: UserpoolRegisterResponseDto, description: 'The user, with `token` and `tokenExpiredAt`' })
  @ApiUserpoolErrors(...BODY_ERRORS, ...EMAIL_ERRORS, ...CODE_ERRORS, U.USER_NOT_FOUND, C.ACCOUNT_DISABLED)
  async loginByEmailCode(
    @CurrentTenant() pool: Tenant,
    @Body() body: LoginEmailCodeRequestDto,
    @CountedClient() client: string,
    @ClientAddress() ip: string | undefined,
  ) {
    return ok(await this.signIn.loginByEmailCode(pool, body, { client, ip }));
  }

  @Get('users/me')
  @SignedInRoute()
  @ApiOperation({ operationId: 'userpoolMe', summary: 'The signed-in user' })
  @ApiOkResponse({ type: UserpoolRegisterResponseDto, description: 'The user, with the token it was asked with' })
  @ApiUserpoolErrors(C.UNAUTHORIZED)
  me(@CurrentTenant() pool: Tenant, @CurrentSignIn() signedIn: SignedIn) {
    return ok(this.signIn.me(pool, signedIn));
  }

  @Post('users/refresh-token')
  @HttpCode(200)
  @SignedInRoute()
  @ApiOperation({ operationId: 'userpoolRefreshToken', summary: 'A new token for the signed-in user' })
  @ApiBody({
    required: false,
    description: 'Nothing, or `{}` as Authing SDKs send it; not read',
    schema: { type: 'object', additionalProperties: false, maxProperties: 0, example: {} },
  })
  @ApiOkResponse({ type: UserpoolTokenResponseDto })
  @ApiUserpoolErrors(C.UNAUTHORIZED)
  async refreshToken(@CurrentTenant() pool: Tenant, @CurrentSignIn() signedIn: SignedIn) {
    return ok(await this.signIn.refreshToken(pool, signedIn));
  }

  /** Express would answer a HEAD with the GET handler and so end the sessions: a HEAD is refused instead. */
  @Head('logout')
  @ApiExcludeEndpoint()
  refuseHeadLogout(@Res({ passthrough: true }) response: Response): never {
    response.set('Allow', 'GET');
    throw new DomainError(C.METHOD_NOT_ALLOWED, { reason: 'HEAD /api/v1/logout' });
  }

  @Get('logout')
  @SignedInRoute()
  @ApiOperation({
    operationId: 'userpoolLogout',
    summary: "End every session of the signed-in user: all of the user's tokens stop working",
  })
  @ApiOkResponse({ type: UserpoolDoneResponseDto })
  @ApiUserpoolErrors(C.UNAUTHORIZED)
  async logout(@CurrentSignIn() signedIn: SignedIn) {
    await this.signIn.logout(signedIn);
    return ok({});
  }

  @Post('password/reset/email')
  @HttpCode(200)
  @BodyRoute()
  @ApiOperation({
    operationId: 'userpoolResetPasswordByEmail',
    summary: "Set a new password with a code mailed by email/send (RESET_PASSWORD_VERIFY_CODE); ends the user's sessions",
  })
  @ApiOkResponse({ type: UserpoolDoneResponseDto })
  @ApiUserpoolErrors(...BODY_ERRORS, ...EMAIL_ERRORS, ...CODE_ERRORS, ...NEW_PASSWORD_ERRORS, U.USER_NOT_FOUND, C.ACCOUNT_DISABLED)
  async resetPasswordByEmail(@CurrentTenant() pool: Tenant, @Body() body: ResetPasswordEmailRequestDto) {
    await this.signIn.resetPasswordByEmail(pool, body);
    return ok({});
  }

  @Post('password/update')
  @HttpCode(200)
  @SignedInRoute({ body: true })
  @ApiOperation({
    operationId: 'userpoolUpdatePassword',
    summary: "Change the signed-in user's password; ends every session, and answers the user with a new token",
  })
  @ApiOkResponse({ type: UserpoolRegisterResponseDto, description: 'The user, with a new `token`: the old ones have ended' })
  @ApiUserpoolErrors(...BODY_ERRORS, C.UNAUTHORIZED, ...NEW_PASSWORD_ERRORS, U.OLD_PASSWORD_WRONG, C.LOGIN_LOCKED)
  async updatePassword(
    @CurrentTenant() pool: Tenant,
    @CurrentSignIn() signedIn: SignedIn,
    @Body() body: UpdatePasswordRequestDto,
    @CountedClient() client: string,
    @ClientAddress() ip: string | undefined,
  ) {
    return ok(await this.signIn.updatePassword(pool, signedIn, body, { client, ip }));
  }
}
