/** The tenant kind of the Discuz! Q site. Stored in `tenants.kind`: never change it. */
export const JSONAPI_USERS_TENANT_KIND = 'site';
