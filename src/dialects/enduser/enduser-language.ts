import type { Request } from 'express';
import { Language, preferredLanguage } from '../../error-codes/dialect-error-renderer';

/** Quectel's enduser API answers in English unless the client asks for Chinese. */
export const ENDUSER_DEFAULT_LANGUAGE: Language = 'en';

export const enduserLanguage = (request: Request): Language => preferredLanguage(request, ENDUSER_DEFAULT_LANGUAGE);
