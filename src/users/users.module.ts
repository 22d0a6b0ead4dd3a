import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Tenant } from './entities/tenant.entity';
import { User } from './entities/user.entity';
import { VerificationCode } from './entities/verification-code.entity';
import { PasswordHasher } from './password-hasher.service';
import { TenantsService } from './tenants.service';
import { UsersService } from './users.service';
import { VerificationCodesService } from './verification-codes.service';

/** Users, tenants and verification codes: the only module that touches their tables. */
@Module({
  imports: [TypeOrmModule.forFeature([Tenant, User, VerificationCode])],
  providers: [PasswordHasher, TenantsService, UsersService, VerificationCodesService],
  exports: [PasswordHasher, TenantsService, UsersService, VerificationCodesService],
})
export class UsersModule {}
