import { InitialSchema1763700000000 } from './1763700000000-initial-schema';
import { DialectStores1763800000000 } from './1763800000000-dialect-stores';

/** Applied in order; a new migration is one file plus one line here. */
export const MIGRATIONS = [InitialSchema1763700000000, DialectStores1763800000000];
