import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClockModule } from '../../clock/clock';
import { MailModule } from '../../mail/mail.module';
import { RateLimitModule } from '../../rate-limit/rate-limit.module';
import { TokensModule } from '../../tokens/tokens.module';
import { UsersModule } from '../../users/users.module';
import {
  AccountDeletionsService,
  AccountDeletionSweeper,
  DEFAULT_DELETION_SWEEP_INTERVAL_MS,
  DELETION_SWEEP_INTERVAL_MS,
} from './account-deletions.service';
import { DataCenter } from './data-center';
import { ENDUSER_CONFIG, EnduserConfig } from './enduser.config';
import { EnduserController } from './enduser.controller';
import { EnduserService } from './enduser.service';
import { EnduserAccountController, JwksController } from './enduser-account.controller';
import { EnduserAccountService } from './enduser-account.service';
import { EnduserAuthGuard } from './enduser-auth.guard';
import { EnduserKeysModule } from './enduser-keys.module';
import { EnduserTokensService } from './enduser-tokens.service';
import { PendingDeletion } from './pending-deletion.entity';
import { PendingDeletionsStore } from './pending-deletions.store';

/**
 * Quectel IoT enduser OpenAPI: email registration, sign-in and the account (docs/dialects/enduser.md).
 * Vendor reference: https://iot-api.quectelcn.com (enduser OpenAPI: "Email Password Registration", "Email Password
 * Login", "Refresh Token", "Query User Information", ...).
 */
@Module({
  imports: [
    UsersModule,
    MailModule,
    TokensModule,
    RateLimitModule,
    ClockModule,
    EnduserKeysModule,
    TypeOrmModule.forFeature([PendingDeletion]),
    // Its own JwtModule with no defaults: enduser tokens are RS256 under keys of their own, never the core's HS256 secret.
    JwtModule.register({}),
  ],
  controllers: [EnduserController, EnduserAccountController, JwksController],
  providers: [
    EnduserService,
    EnduserAccountService,
    EnduserTokensService,
    EnduserAuthGuard,
    PendingDeletionsStore,
    AccountDeletionsService,
    AccountDeletionSweeper,
    { provide: DELETION_SWEEP_INTERVAL_MS, useValue: DEFAULT_DELETION_SWEEP_INTERVAL_MS },
    { provide: DataCenter, inject: [ENDUSER_CONFIG], useFactory: (config: EnduserConfig) => DataCenter.fromConfig(config) },
  ],
})
export class EnduserModule {}
