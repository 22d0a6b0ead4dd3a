import { InitialSchema1763700000000 } from './1763700000000-initial-schema';

/** Applied in order; a new migration is one file plus one line here. */
export const MIGRATIONS = [InitialSchema1763700000000];
