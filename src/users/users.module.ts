import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClockModule } from '../clock/clock';
import { EventsModule } from '../events/events.module';
import { MetricsModule } from '../metrics/metrics.module';
import { Tenant } from './entities/tenant.entity';
import { User } from './entities/user.entity';
import { IdentitySkeletonsService } from './identity-skeletons.service';
import { VerificationCode } from './entities/verification-code.entity';
import { PasswordHasherService } from './password-hasher.service';
import { TenantsService } from './tenants.service';
import { TenantsStore } from './tenants.store';
import { UsersService } from './users.service';
import { UsersStore } from './users.store';
import { VerificationCodesService } from './verification-codes.service';
import { VerificationCodesStore } from './verification-codes.store';

/** Tenants and what belongs to them in every dialect (users, codes): the only module that touches their tables. */
@Module({
  imports: [TypeOrmModule.forFeature([Tenant, User, VerificationCode]), ClockModule, EventsModule, MetricsModule],
  providers: [
    IdentitySkeletonsService,
    PasswordHasherService,
    TenantsStore,
    TenantsService,
    UsersStore,
    UsersService,
    VerificationCodesStore,
    VerificationCodesService,
  ],
  exports: [TenantsService, UsersService, VerificationCodesService],
})
export class UsersModule {}
