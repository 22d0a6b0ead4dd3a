import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { CurrentTenant } from '../../common/current-tenant.decorator';
import { JsonBodyGuard } from '../../common/json-body.guard';
import { Tenant } from '../../users/entities/tenant.entity';
import { RegisterEmailRequestDto } from './dto/register-email.request.dto';
import { RegisterUsernameRequestDto } from './dto/register-username.request.dto';
import { USERPOOL_HEADER, UserpoolGuard } from './userpool.guard';
import { UserpoolService } from './userpool.service';

const ok = <T>(data: T) => ({ code: 0, success: true, msg: 'success', data });

@ApiTags('userpool (YeeAuth / Authing v2)')
@ApiHeader({ name: USERPOOL_HEADER, required: true, description: 'IAM userpool id' })
@Controller('api/v1/register')
@UseGuards(ThrottlerGuard, UserpoolGuard, JsonBodyGuard)
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
