import type { ConfigSection } from '../config/config-section';
import { bytepowerDialect } from './bytepower/bytepower.dialect';
import { Dialect } from './dialect';
import { enduserDialect } from './enduser/enduser.dialect';
import { jsonApiUsersDialect } from './jsonapi-users/jsonapi-users.dialect';
import { userpoolDialect } from './userpool/userpool.dialect';

/** Every dialect the service speaks; a new one is a folder plus one line here. */
export const DIALECTS: readonly Dialect[] = [userpoolDialect, enduserDialect, bytepowerDialect, jsonApiUsersDialect];

/** The dialects' own environment variables, for `loadConfig`. */
export const DIALECT_CONFIG: readonly ConfigSection[] = DIALECTS.flatMap((dialect) => (dialect.config ? [dialect.config] : []));
