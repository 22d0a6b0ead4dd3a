import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClockModule } from '../../clock/clock';
import { SecretBoxService } from '../../users/secret-box.service';
import { ServerKey } from './server-key.entity';
import { ServerKeysService } from './server-keys.service';
import { ServerKeysStore } from './server-keys.store';

/** BytePower's server keys, for its HTTP guard and its CLI alike. */
@Module({
  imports: [TypeOrmModule.forFeature([ServerKey]), ClockModule],
  providers: [SecretBoxService, ServerKeysStore, ServerKeysService],
  exports: [ServerKeysService],
})
export class ServerKeysModule {}
