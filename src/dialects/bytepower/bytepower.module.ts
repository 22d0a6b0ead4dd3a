import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClockModule } from '../../clock/clock';
import { MailModule } from '../../mail/mail.module';
import { RateLimitModule } from '../../rate-limit/rate-limit.module';
import { TokensModule } from '../../tokens/tokens.module';
import { UsersModule } from '../../users/users.module';
import { ServerKeyGuard } from './bytepower-auth.guard';
import { BytepowerController } from './bytepower.controller';
import { BytepowerService } from './bytepower.service';
import { DeviceBinding } from './device-binding.entity';
import { DeviceBindingsService } from './device-bindings.service';
import { DeviceBindingsStore } from './device-bindings.store';
import { ServerKeysModule } from './server-keys.module';

/**
 * BytePower server-to-server user API `POST /bp/server/user/signup` and siblings (docs/dialects/bytepower.md).
 * Vendor reference: BytePower (iHandySoft) server API documentation, "User Sign Up".
 *
 * Its own JwtModule: callers sign with their server keys, and the shared module's issuer and audience
 * defaults (merged into every verify call by @nestjs/jwt) must not apply.
 */
@Module({
  imports: [
    UsersModule,
    TokensModule,
    MailModule,
    RateLimitModule,
    ClockModule,
    ServerKeysModule,
    JwtModule.register({}),
    TypeOrmModule.forFeature([DeviceBinding]),
  ],
  controllers: [BytepowerController],
  providers: [BytepowerService, ServerKeyGuard, DeviceBindingsService, DeviceBindingsStore],
})
export class BytepowerModule {}
