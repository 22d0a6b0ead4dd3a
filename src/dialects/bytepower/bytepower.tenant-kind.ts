/** The tenant kind of a BytePower app: its code is the app id. Stored in `tenants.kind`: never change it. */
export const BYTEPOWER_TENANT_KIND = 'bytepower-app';
