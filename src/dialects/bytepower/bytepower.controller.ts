import { Body, Controller, Get, Headers, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { JsonBodyGuard } from '../../common/json-body.guard';
import { DomainErrorCode as C } from '../../error-codes/domain-error-code.enum';
import { CountsRegistration } from '../../metrics/registration-routes';
import { ApiErrorResponses, JSON_BODY_ERRORS } from '../../openapi/api-error-responses.decorator';
import { CurrentTenant } from '../../users/current-tenant.decorator';
import { Tenant } from '../../users/entities/tenant.entity';
import { API_VERSION_MEDIA_TYPE, AUTH_TOKEN_HEADER, ServerKeyGuard } from './bytepower-auth.guard';
import { CLIENT_IP_HEADER_NAME } from './bytepower-client-ip';
import { BytepowerErrorCode as B, bytepowerErrors } from './bytepower.error-map';
import { BytepowerService } from './bytepower.service';
import { BytepowerErrorResponseDto, BytepowerUserResponseDto } from './dto/bytepower-user.response.dto';
import { LoginRequestDto } from './dto/login.request.dto';
import { ResetPasswordRequestDto } from './dto/reset-password.request.dto';
import { SendCodeRequestDto } from './dto/send-code.request.dto';
import { SignupRequestDto } from './dto/signup.request.dto';
import { CountedClient } from '../../rate-limit/client-address';
import { RateLimitGuard } from '../../rate-limit/rate-limit.guard';

export const SESSION_TOKEN_HEADER = 'x-bytepower-session-token';

/** Every route checks the API version and the server key first, and may meet a failing database. */
const ApiBytepowerErrors = (...conditions: (C | B)[]) =>
  ApiErrorResponses(bytepowerErrors, BytepowerErrorResponseDto, [
    B.API_VERSION_INVALID,
    C.UNAUTHORIZED,
    ...conditions,
    C.DATABASE_UNAVAILABLE,
    C.INTERNAL,
  ]);

/** What a JSON body route answers before its fields are looked at. */
const BODY_ERRORS = [...JSON_BODY_ERRORS, C.VALIDATION_FAILED];
const CREDENTIAL_ERRORS = [
  C.USERNAME_REQUIRED,
  C.USERNAME_INVALID,
  C.EMAIL_REQUIRED,
  C.EMAIL_INVALID,
  C.PASSWORD_REQUIRED,
  C.PASSWORD_INVALID,
];

@ApiTags('bytepower (BytePower server API)')
@ApiHeader({ name: 'Accept', required: true, schema: { type: 'string', enum: [API_VERSION_MEDIA_TYPE] } })
@ApiHeader({ name: AUTH_TOKEN_HEADER, required: true, description: 'HS256 JWT `{key_name, iat}` signed with the server key secret' })
@ApiHeader({
  name: CLIENT_IP_HEADER_NAME,
  required: false,
  description: "the end user's IP address: rate limits and login failures then count per app and this address, else per app",
})
@Controller('bp/server/user')
@UseGuards(ServerKeyGuard)
export class BytepowerController {
  constructor(private readonly bytepower: BytepowerService) {}

  @Post('signup')
  @CountsRegistration()
  @HttpCode(200)
  @UseGuards(RateLimitGuard, JsonBodyGuard)
  @ApiOperation({ operationId: 'bytepowerSignup', summary: 'Sign a user up with name and password, or email and password' })
  @ApiOkResponse({ type: BytepowerUserResponseDto })
  @ApiBytepowerErrors(
    ...BODY_ERRORS,
    ...CREDENTIAL_ERRORS,
    C.PASSWORD_TOO_WEAK,
    C.PASSWORD_TOO_LONG,
    C.USERNAME_TAKEN,
    C.EMAIL_TAKEN,
    C.VERIFICATION_CODE_REQUIRED,
    C.VERIFICATION_CODE_INVALID,
    C.TENANT_MISCONFIGURED,
  )
  async signup(@CurrentTenant() app: Tenant, @Body() body: SignupRequestDto) {
    return { user: await this.bytepower.signup(app, body) };
  }

  @Post('login')
  @HttpCode(200)
  @UseGuards(RateLimitGuard, JsonBodyGuard)
  @ApiOperation({
    operationId: 'bytepowerLogin',
    summary: 'Log a user in by name, email, device or anonymous id; opens a new session (a device or anonymous id may create the user)',
  })
  @ApiOkResponse({ type: BytepowerUserResponseDto })
  @ApiBytepowerErrors(...BODY_ERRORS, ...CREDENTIAL_ERRORS, C.CREDENTIALS_INVALID, C.LOGIN_LOCKED, C.ACCOUNT_DISABLED)
  async login(@CurrentTenant() app: Tenant, @Body() body: LoginRequestDto, @CountedClient() client: string) {
    return { user: await this.bytepower.login(app, body, client) };
  }

  @Get('me')
  @ApiOperation({ operationId: 'bytepowerMe', summary: 'The user of a session' })
  @ApiHeader({ name: SESSION_TOKEN_HEADER, required: true, description: 'the session_token from sign-up or login' })
  @ApiOkResponse({ type: BytepowerUserResponseDto })
  @ApiBytepowerErrors()
  async me(@CurrentTenant() app: Tenant, @Headers(SESSION_TOKEN_HEADER) sessionToken: string | undefined) {
    return { user: await this.bytepower.me(app, sessionToken) };
  }

  @Post('send_email_verify_code')
  @HttpCode(200)
  @UseGuards(RateLimitGuard, JsonBodyGuard)
  @ApiOperation({
    operationId: 'bytepowerSendEmailVerifyCode',
    summary: 'Mail a sign-up code, or a password reset code to a user of the app (an address without one gets the same answer and no mail)',
  })
  @ApiOkResponse({ description: '`{}`', schema: { type: 'object', additionalProperties: false } })
  @ApiBytepowerErrors(
    ...BODY_ERRORS,
    C.EMAIL_REQUIRED,
    C.EMAIL_INVALID,
    C.VERIFICATION_TYPE_UNSUPPORTED,
    C.EMAIL_TAKEN,
    C.VERIFICATION_CODE_TOO_SOON,
    C.MAIL_DELIVERY_FAILED,
  )
  async sendEmailVerifyCode(@CurrentTenant() app: Tenant, @Body() body: SendCodeRequestDto) {
    await this.bytepower.sendCode(app, body);
    return {};
  }

  @Post('reset_password')
  @HttpCode(200)
  @UseGuards(RateLimitGuard, JsonBodyGuard)
  @ApiOperation({
    operationId: 'bytepowerResetPassword',
    summary:
      'Set a new password with a code mailed by send_email_verify_code (type reset_password_email); ends every session of the user, opens none',
  })
  @ApiOkResponse({ type: BytepowerUserResponseDto, description: 'the user, as `me` answers it (no `session`)' })
  @ApiBytepowerErrors(
    ...BODY_ERRORS,
    C.EMAIL_REQUIRED,
    C.EMAIL_INVALID,
    C.PASSWORD_REQUIRED,
    C.PASSWORD_INVALID,
    C.PASSWORD_TOO_WEAK,
    C.PASSWORD_TOO_LONG,
    C.VERIFICATION_CODE_REQUIRED,
    C.VERIFICATION_CODE_INVALID,
    C.VERIFICATION_CODE_EXPIRED,
    B.USER_NOT_FOUND,
    C.ACCOUNT_DISABLED,
  )
  async resetPassword(@CurrentTenant() app: Tenant, @Body() body: ResetPasswordRequestDto) {
    return { user: await this.bytepower.resetPassword(app, body) };
  }
}
