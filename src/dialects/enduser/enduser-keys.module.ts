import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClockModule } from '../../clock/clock';
import { SecretBoxService } from '../../users/secret-box.service';
import { DomainSecret } from './domain-secret.entity';
import { DomainSecretsService } from './domain-secrets.service';
import { DomainSecretsStore } from './domain-secrets.store';
import { SigningKey } from './signing-key.entity';
import { SigningKeysService } from './signing-keys.service';
import { SigningKeysStore } from './signing-keys.store';

/** User-domain secrets and token signing keys, for the HTTP API and the CLI alike. */
@Module({
  imports: [TypeOrmModule.forFeature([DomainSecret, SigningKey]), ClockModule],
  providers: [SecretBoxService, DomainSecretsStore, DomainSecretsService, SigningKeysStore, SigningKeysService],
  exports: [DomainSecretsService, SigningKeysService],
})
export class EnduserKeysModule {}
