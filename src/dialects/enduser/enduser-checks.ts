import { DomainErrorCode } from '../../error-codes/domain-error-code.enum';
import { DomainError } from '../../error-codes/domain-error';
import { isValidEmail } from '../../users/normalization';
import { DataCenter } from './data-center';
import { EnduserErrorCode } from './enduser.error-map';
import { EnduserParams } from './enduser-params';
import { optionalId, PASSWORD_FORMAT, USER_DOMAIN_FORMAT } from './enduser-rules';
import { decryptPwd, PwdDecryptionError } from './pwd-cipher';
import { countryOfMcc } from './reference-data';

type Code = DomainErrorCode | EnduserErrorCode;

/** The parameter checks every enduser route shares, each failing with the vendor's code for that parameter. */
export const fail = (code: Code, field: string) => new DomainError(code, { field });

/** The first missing parameter of `required`, in the vendor table's order, fails with its code. */
export function requireParams(params: EnduserParams, required: readonly (readonly [string, Code])[]): void {
  const missing = required.find(([name]) => !params.has(name));
  if (missing) {
    throw fail(missing[1], missing[0]);
  }
}

export function userDomainOf(params: EnduserParams): string {
  const domain = params.text('userDomain');
  if (typeof domain !== 'string' || !USER_DOMAIN_FORMAT.test(domain)) {
    throw fail(EnduserErrorCode.TENANT_INVALID, 'userDomain');
  }
  return domain;
}

export function emailOf(params: EnduserParams): string {
  const email = params.text('email');
  if (typeof email !== 'string' || !isValidEmail(email)) {
    throw fail(DomainErrorCode.EMAIL_INVALID, 'email');
  }
  return email;
}

/** The codes a password parameter fails with: setUserPwd has its own for each of its two. */
export interface PasswordCodes {
  decryption: Code;
  format: Code;
}

const PWD_CODES: PasswordCodes = { decryption: EnduserErrorCode.PASSWORD_DECRYPTION_FAILED, format: DomainErrorCode.PASSWORD_INVALID };

/** A password parameter: AES-encrypted when `random` is given, plaintext otherwise; 6-20 printable ASCII once decrypted. */
export function passwordOf(params: EnduserParams, name = 'pwd', codes: PasswordCodes = PWD_CODES): string {
  const pwd = params.text(name);
  const random = params.text('random');
  if (typeof pwd !== 'string' || random === null) {
    throw fail(codes.format, name);
  }
  let password = pwd;
  if (random) {
    try {
      password = decryptPwd(pwd, random);
    } catch (error) {
      if (error instanceof PwdDecryptionError) {
        throw fail(codes.decryption, name);
      }
      throw error;
    }
  }
  if (!PASSWORD_FORMAT.test(password)) {
    throw fail(codes.format, name);
  }
  return password;
}

/** An optional id of a reference list (lang, nationality, timezone): null when unset. */
export function referenceOf(params: EnduserParams, name: string, find: (id: number) => unknown, code: EnduserErrorCode): number | null {
  const id = optionalId(params.text(name));
  if (id === undefined) {
    return null;
  }
  if (Number.isNaN(id) || !find(id)) {
    throw fail(code, name);
  }
  return id;
}

/** An MCC must name a country (6085) that this data centre serves (6084); null when unset. */
export function mccOf(params: EnduserParams, dataCenter: DataCenter): number | null {
  const mcc = optionalId(params.text('mcc'));
  if (mcc === undefined) {
    return null;
  }
  const country = Number.isNaN(mcc) ? undefined : countryOfMcc(mcc);
  if (!country) {
    throw fail(EnduserErrorCode.MCC_UNKNOWN, 'mcc');
  }
  if (!dataCenter.serves(country)) {
    throw fail(EnduserErrorCode.MCC_OTHER_DATA_CENTER, 'mcc');
  }
  return mcc;
}
