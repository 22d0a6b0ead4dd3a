import { Body, Controller, Get, Headers, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { JsonBodyGuard } from '../../common/json-body.guard';
import { CurrentTenant } from '../../users/current-tenant.decorator';
import { Tenant } from '../../users/entities/tenant.entity';
import { API_VERSION_MEDIA_TYPE, AUTH_TOKEN_HEADER, ServerKeyGuard } from './bytepower-auth.guard';
import { BytepowerService } from './bytepower.service';
import { BytepowerErrorResponseDto, BytepowerUserResponseDto } from './dto/bytepower-user.response.dto';
import { LoginRequestDto } from './dto/login.request.dto';
import { SendCodeRequestDto } from './dto/send-code.request.dto';
import { SignupRequestDto } from './dto/signup.request.dto';
import { RateLimitGuard } from '../../rate-limit/rate-limit.guard';

export const SESSION_TOKEN_HEADER = 'x-bytepower-session-token';

const error = (status: number, description: string) => ApiResponse({ status, description, type: BytepowerErrorResponseDto });

@ApiTags('bytepower (BytePower server API)')
@ApiHeader({ name: 'Accept', required: true, schema: { type: 'string', enum: [API_VERSION_MEDIA_TYPE] } })
@ApiHeader({ name: AUTH_TOKEN_HEADER, required: true, description: 'HS256 JWT `{key_name, iat}` signed with the server key secret' })
@error(400, '`invalid_api_version` (checked first), `invalid_parameter`, `user_already_exists`, `invalid_verify_code`, `invalid_credentials`')
@error(401, '`unauthorized`: token missing, malformed, unknown or revoked key, bad signature, another algorithm, stale `iat`; or session unknown')
@error(405, '`method_not_allowed`')
@error(429, '`api_rate_limit`')
@error(500, '`config_invalid`: the app settings are unusable')
@error(502, '`gateway`: the database is unreachable, or the verification mail could not be sent')
@Controller('bp/server/user')
@UseGuards(ServerKeyGuard)
export class BytepowerController {
  constructor(private readonly bytepower: BytepowerService) {}

  @Post('signup')
  @HttpCode(200)
  @UseGuards(RateLimitGuard, JsonBodyGuard)
  @ApiOperation({ operationId: 'bytepowerSignup', summary: 'Sign a user up with name and password, or email and password' })
  @ApiOkResponse({ type: BytepowerUserResponseDto })
  async signup(@CurrentTenant() app: Tenant, @Body() body: SignupRequestDto) {
    return { user: await this.bytepower.signup(app, body) };
  }

  @Post('login')
  @HttpCode(200)
  @UseGuards(RateLimitGuard, JsonBodyGuard)
  @ApiOperation({ operationId: 'bytepowerLogin', summary: 'Log a user in; opens a new session' })
  @ApiOkResponse({ type: BytepowerUserResponseDto })
  async login(@CurrentTenant() app: Tenant, @Body() body: LoginRequestDto, @Req() request: Request) {
    return { user: await this.bytepower.login(app, body, request.ip ?? '') };
  }

  @Get('me')
  @ApiOperation({ operationId: 'bytepowerMe', summary: 'The user of a session' })
  @ApiHeader({ name: SESSION_TOKEN_HEADER, required: true, description: 'the session_token from sign-up or login' })
  @ApiOkResponse({ type: BytepowerUserResponseDto })
  async me(@CurrentTenant() app: Tenant, @Headers(SESSION_TOKEN_HEADER) sessionToken: string | undefined) {
    return { user: await this.bytepower.me(app, sessionToken) };
  }

  @Post('send_email_verify_code')
  @HttpCode(200)
  @UseGuards(RateLimitGuard, JsonBodyGuard)
  @ApiOperation({ operationId: 'bytepowerSendEmailVerifyCode', summary: 'Mail a sign-up code to an email address' })
  @ApiOkResponse({ description: '`{}`', schema: { type: 'object', additionalProperties: false } })
  async sendEmailVerifyCode(@CurrentTenant() app: Tenant, @Body() body: SendCodeRequestDto) {
    await this.bytepower.sendSignupCode(app, body);
    return {};
  }
}
