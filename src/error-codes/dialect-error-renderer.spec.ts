import { DomainErrorCode as C } from './domain-error-code.enum';
import { errorEntry, ErrorMap } from './dialect-error-renderer';
import { dialectErrorCodes } from './error-code';

const OWN_ROWS = { MCC_UNKNOWN: 'own row' };
const OwnCode = dialectErrorCodes(OWN_ROWS);
const MAP = Object.fromEntries([...Object.values(C).map((code) => [code, `core row ${code}`]), ...Object.entries(OWN_ROWS)]) as ErrorMap<
  string,
  typeof OWN_ROWS
>;

describe('errorEntry', () => {
  it('finds the row of a core code and of an own code', () => {
    expect(errorEntry(MAP, C.EMAIL_TAKEN)).toBe('core row EMAIL_TAKEN');
    expect(errorEntry(MAP, OwnCode.MCC_UNKNOWN)).toBe('own row');
  });

  it("answers another dialect's code with the INTERNAL row", () => {
    expect(errorEntry(MAP, dialectErrorCodes({ API_VERSION_INVALID: 'elsewhere' }).API_VERSION_INVALID)).toBe('core row INTERNAL');
  });
});
