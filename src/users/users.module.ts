import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClockModule } from '../clock/clock';
import { MetricsModule } from '../metrics/metrics.module';
import { Invite } from './entities/invite.entity';
import { ServerKey } from './entities/server-key.entity';
import { Tenant } from './entities/tenant.entity';
import { User } from './entities/user.entity';
import { VerificationCode } from './entities/verification-code.entity';
import { InvitesService } from './invites.service';
import { PasswordHasherService } from './password-hasher.service';
import { SecretBoxService } from './secret-box.service';
import { ServerKeysService } from './server-keys.service';
import { TenantsService } from './tenants.service';
import { UsersService } from './users.service';
import { VerificationCodesService } from './verification-codes.service';

/** Tenants and what belongs to them (users, codes, invites, server keys): the only module that touches their tables. */
@Module({
  imports: [TypeOrmModule.forFeature([Tenant, User, VerificationCode, ServerKey, Invite]), ClockModule, MetricsModule],
  providers: [PasswordHasherService, SecretBoxService, TenantsService, UsersService, VerificationCodesService, InvitesService, ServerKeysService],
  exports: [TenantsService, UsersService, VerificationCodesService, InvitesService, ServerKeysService],
})
export class UsersModule {}
