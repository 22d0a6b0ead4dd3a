import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { emailSkeleton, usernameSkeleton } from './identity';
import { UsersStore } from './users.store';

/**
 * An embedded SQLite file made before skeletons gets their columns from synchronize, empty; they are
 * filled here at start, as migration 1764100000000 fills them on MySQL.
 */
@Injectable()
export class IdentitySkeletonsService implements OnApplicationBootstrap {
  constructor(
    private readonly users: UsersStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.database.type === 'sqlite') {
      await this.users.fillMissingSkeletons((user) => ({
        emailSkeleton: user.email === null ? null : emailSkeleton(user.email),
        usernameSkeleton: user.username === null ? null : usernameSkeleton(user.username),
      }));
    }
  }
}
