import type { Type } from '@nestjs/common';

/**
 * Settings that one feature alone reads (a dialect's, say): the feature declares its variables as a
 * class-validator class, as `EnvironmentVariables` does, and how to build its settings from them;
 * `loadConfig` validates them with the rest, and ConfigModule provides the result under `token`.
 */
export interface ConfigSection<Settings = unknown> {
  readonly token: symbol;
  readonly variables: Type<object>;
  /** Throws a `ConfigError` naming the variable for a rule a decorator cannot state. */
  readonly build: (variables: object) => Settings;
}

/** A section whose `build` is typed by its variables class. */
export function configSection<Variables extends object, Settings>(
  token: symbol,
  variables: Type<Variables>,
  build: (variables: Variables) => Settings,
): ConfigSection<Settings> {
  return { token, variables, build: build as (variables: object) => Settings };
}
