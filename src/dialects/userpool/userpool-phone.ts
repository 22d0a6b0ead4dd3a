import { normalizeMobile } from '../../users/phone';

/**
 * The mobile (E.164) a phone as Authing clients write it names: spaces and dashes dropped, then an
 * 11-digit mainland number or a `+` number (`normalizeMobile`); null for anything else, a phone that is
 * then only shown, never signed in with.
 */
export function mobileOf(phone: string): string | null {
  return normalizeMobile(phone.replace(/[ -]/g, ''));
}
