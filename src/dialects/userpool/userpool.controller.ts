import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentTenant } from '../../users/current-tenant.decorator';
import { JsonBodyGuard } from '../../common/json-body.guard';
import { Tenant } from '../../users/entities/tenant.entity';
import { RegisterEmailRequestDto } from './dto/register-email.request.dto';
import { RegisterUsernameRequestDto } from './dto/register-username.request.dto';
import { USERPOOL_HEADER, UserpoolGuard } from './userpool.guard';
import { UserpoolService } from './userpool.service';
import { RateLimitGuard } from '../../rate-limit/rate-limit.guard';

const ok = <T>(data: T) => ({ code: 0, success: true, msg: 'success', data });

const ERRORS =
  'Errors: `{code, success: false, msg, data: {}}`. 2224 header missing (400) or pool unknown (404); 2028 email missing; ' +
  '2003 email malformed; 2032 password missing; 2029 password too weak or over 72 bytes; 2026 user exists (409); ' +
  '2031 registration disabled (403); 2100 rate limited (429); 2000 malformed request or unknown field (400/413); ' +
  '1000 internal or database failure (500/503).';

@ApiTags('userpool (YeeAuth / Authing v2)')
@ApiOkResponse({ description: '`{code: 0, success: true, msg, data: <the seed user object>}`' })
@ApiResponse({ status: '4XX', description: ERRORS })
@ApiHeader({ name: USERPOOL_HEADER, required: true, description: 'IAM userpool id' })
@Controller('api/v1/register')
@UseGuards(RateLimitGuard, UserpoolGuard, JsonBodyGuard)
export class UserpoolController {
  constructor(private readonly userpool: UserpoolService) {}

  @Post('email')
  @HttpCode(200)
  @ApiOperation({ summary: 'Register with email and password' })
  async registerByEmail(@CurrentTenant() pool: Tenant, @Body() body: RegisterEmailRequestDto) {
    return ok(await this.userpool.register(pool, body));
  }

  @Post('username')
  @HttpCode(200)
  @ApiOperation({ summary: 'Register with username and password' })
  async registerByUsername(@CurrentTenant() pool: Tenant, @Body() body: RegisterUsernameRequestDto) {
    return ok(await this.userpool.register(pool, body));
  }
}
