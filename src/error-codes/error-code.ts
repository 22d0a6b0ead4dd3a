import { DomainErrorCode } from './domain-error-code.enum';

declare const dialectOwned: unique symbol;

/**
 * A condition only one dialect raises. Branded, so that only `dialectErrorCodes` makes one and a
 * misspelt code fails the build as a misspelt `DomainErrorCode` does.
 */
export type DialectErrorCode<Name extends string = string> = Name & { readonly [dialectOwned]: true };

/** What a `DomainError` carries: a core code every dialect renders, or the raising dialect's own. */
export type ErrorCode = DomainErrorCode | DialectErrorCode;

/**
 * A dialect's own codes, one per key of its own error rows (`{ MCC_UNKNOWN: 'MCC_UNKNOWN' }`), so adding a
 * row adds the code. A key named like a core code does not compile: a core condition has one meaning.
 */
export function dialectErrorCodes<Rows extends object>(
  rows: Rows & { readonly [Name in keyof Rows & `${DomainErrorCode}`]: never },
): { readonly [Name in keyof Rows & string]: DialectErrorCode<Name> } {
  return Object.freeze(Object.fromEntries(Object.keys(rows).map((name) => [name, name]))) as never;
}

const CORE_CODES = new Set<string>(Object.values(DomainErrorCode));

export function isDomainErrorCode(code: string): code is DomainErrorCode {
  return CORE_CODES.has(code);
}
