import { Module } from '@nestjs/common';
import { TokensModule } from '../../tokens/tokens.module';
import { UsersModule } from '../../users/users.module';
import { UserpoolController } from './userpool.controller';
import { UserpoolGuard } from './userpool.guard';
import { UserpoolService } from './userpool.service';

/**
 * YeeAuth / Authing v2 `POST /api/v1/register/email` (docs/dialects/userpool.md).
 * Vendor reference: https://docs.authing.cn/v2/reference/error-code.html
 */
@Module({
  imports: [UsersModule, TokensModule],
  controllers: [UserpoolController],
  providers: [UserpoolService, UserpoolGuard],
})
export class UserpoolModule {}
