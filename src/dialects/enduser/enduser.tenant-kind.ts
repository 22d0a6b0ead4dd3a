/** The tenant kind of a user domain (`userDomain`). Stored in `tenants.kind`: never change it. */
export const ENDUSER_TENANT_KIND = 'user-domain';
