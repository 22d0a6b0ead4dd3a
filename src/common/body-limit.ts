/** The largest request body any dialect accepts; parsers enforce it and error messages quote it. */
export const BODY_LIMIT_BYTES = 1024 * 1024;
export const BODY_LIMIT_TEXT = '1 MiB';
