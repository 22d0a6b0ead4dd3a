import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentTenant } from '../../users/current-tenant.decorator';
import { JsonBodyGuard } from '../../common/json-body.guard';
import { DomainErrorCode as C } from '../../error-codes/domain-error-code.enum';
import { CountsRegistration } from '../../metrics/registration-routes';
import { ApiErrorResponses } from '../../openapi/api-error-responses.decorator';
import { Tenant } from '../../users/entities/tenant.entity';
import { RegisterEmailCodeRequestDto } from './dto/register-email-code.request.dto';
import { RegisterEmailRequestDto } from './dto/register-email.request.dto';
import { RegisterUsernameRequestDto } from './dto/register-username.request.dto';
import { UserpoolErrorResponseDto, UserpoolRegisterResponseDto } from './dto/userpool-response.dto';
import { userpoolErrors } from './userpool.error-map';
import { USERPOOL_HEADER, UserpoolGuard } from './userpool.guard';
import { UserpoolService } from './userpool.service';
import { ClientAddress } from '../../rate-limit/client-address';
import { RateLimitGuard } from '../../rate-limit/rate-limit.guard';

const ok = <T>(data: T) => ({ code: 0, success: true, msg: 'success', data });

/** What either register route can answer besides its own field checks. */
const REGISTER_ERRORS = [
  C.MALFORMED_REQUEST,
  C.PAYLOAD_TOO_LARGE,
  C.CONTENT_ENCODING_UNSUPPORTED,
  C.RATE_LIMITED,
  C.TENANT_REQUIRED,
  C.TENANT_NOT_FOUND,
  C.TENANT_DISABLED,
  C.UNKNOWN_FIELD,
  C.VALIDATION_FAILED,
  C.PASSWORD_REQUIRED,
  C.PASSWORD_INVALID,
  C.PASSWORD_TOO_WEAK,
  C.PASSWORD_TOO_LONG,
  C.DATABASE_UNAVAILABLE,
  C.INTERNAL,
];

@ApiTags('userpool (YeeAuth / Authing v2)')
@ApiOkResponse({ type: UserpoolRegisterResponseDto, description: 'The new user, logged in when forceLogin is true' })
@ApiHeader({ name: USERPOOL_HEADER, required: true, description: 'IAM userpool id' })
@Controller('api/v1/register')
@UseGuards(RateLimitGuard, UserpoolGuard, JsonBodyGuard)
export class UserpoolController {
  constructor(private readonly userpool: UserpoolService) {}

  @Post('email')
  @CountsRegistration()
  @HttpCode(200)
  @ApiOperation({ operationId: 'userpoolRegisterEmail', summary: 'Register with email and password' })
  @ApiErrorResponses(userpoolErrors, UserpoolErrorResponseDto, [...REGISTER_ERRORS, C.EMAIL_REQUIRED, C.EMAIL_INVALID, C.EMAIL_TAKEN])
  async registerByEmail(@CurrentTenant() pool: Tenant, @Body() body: RegisterEmailRequestDto, @ClientAddress() ip: string | undefined) {
    return ok(await this.userpool.register(pool, body, ip));
  }

  @Post('email-code')
  @CountsRegistration()
  @HttpCode(200)
  @ApiOperation({
    operationId: 'userpoolRegisterEmailCode',
    summary: 'Register with email and a code mailed by email/send (REGISTER_VERIFY_CODE); the password is optional',
  })
  @ApiErrorResponses(userpoolErrors, UserpoolErrorResponseDto, [
    ...REGISTER_ERRORS,
    C.EMAIL_REQUIRED,
    C.EMAIL_INVALID,
    C.VERIFICATION_CODE_REQUIRED,
    C.VERIFICATION_CODE_INVALID,
    C.VERIFICATION_CODE_EXPIRED,
    C.EMAIL_TAKEN,
    C.PHONE_TAKEN,
  ])
  async registerByEmailCode(
    @CurrentTenant() pool: Tenant,
    @Body() body: RegisterEmailCodeRequestDto,
    @ClientAddress() ip: string | undefined,
  ) {
    return ok(await this.userpool.register(pool, body, ip));
  }

  @Post('username')
  @CountsRegistration()
  @HttpCode(200)
  @ApiOperation({ operationId: 'userpoolRegisterUsername', summary: 'Register with username and password' })
  @ApiErrorResponses(userpoolErrors, UserpoolErrorResponseDto, [
    ...REGISTER_ERRORS,
    C.USERNAME_REQUIRED,
    C.USERNAME_INVALID,
    C.USERNAME_TAKEN,
  ])
  async registerByUsername(
    @CurrentTenant() pool: Tenant,
    @Body() body: RegisterUsernameRequestDto,
    @ClientAddress() ip: string | undefined,
  ) {
    return ok(await this.userpool.register(pool, body, ip));
  }
}
