import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from './app-config';

export const APP_CONFIG = Symbol('APP_CONFIG');

/**
 * Makes the already-validated config injectable everywhere as `@Inject(APP_CONFIG)`, and each config
 * section's settings under the section's own token.
 */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    const sections = [...config.sections].map(([token, settings]) => ({ provide: token, useValue: settings }));
    return {
      module: ConfigModule,
      providers: [{ provide: APP_CONFIG, useValue: config }, ...sections],
      exports: [APP_CONFIG, ...sections.map(({ provide }) => provide)],
    };
  }
}
