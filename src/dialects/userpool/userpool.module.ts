import { Module } from '@nestjs/common';
import { MailModule } from '../../mail/mail.module';
import { RateLimitModule } from '../../rate-limit/rate-limit.module';
import { TokensModule } from '../../tokens/tokens.module';
import { UsersModule } from '../../users/users.module';
import { UserpoolSignInController } from './userpool-sign-in.controller';
import { UserpoolSignInService } from './userpool-sign-in.service';
import { UserpoolTokenGuard } from './userpool-token.guard';
import { UserpoolTokensService } from './userpool-tokens.service';
import { UserpoolController } from './userpool.controller';
import { UserpoolGuard, UserpoolSignInGuard } from './userpool.guard';
import { UserpoolService } from './userpool.service';

/**
 * YeeAuth / Authing v2 `POST /api/v1/register/email` and its sign-in siblings (docs/dialects/userpool.md).
 * Vendor reference: https://docs.authing.cn/v2/reference/error-code.html
 */
@Module({
  imports: [UsersModule, TokensModule, MailModule, RateLimitModule],
  controllers: [UserpoolController, UserpoolSignInController],
  providers: [UserpoolService, UserpoolSignInService, UserpoolTokensService, UserpoolGuard, UserpoolSignInGuard, UserpoolTokenGuard],
})
export class UserpoolModule {}
