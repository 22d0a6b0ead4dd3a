/** The tenant kind of a userpool: its code is the pool id clients send. Stored in `tenants.kind`: never change it. */
export const USERPOOL_TENANT_KIND = 'userpool';
