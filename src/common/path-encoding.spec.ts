import { DomainErrorCode } from '../error-codes/domain-error-code.enum';
import { checkPathEncoding, isMalformedPath } from './path-encoding';

describe('checkPathEncoding', () => {
  it.each(['/api/users/12', '/api/users/%E0%A4%A4', '/api/users/caf%C3%A9', '/a%2Fb', '/'])('lets %s through', (path) => {
    expect(checkPathEncoding(path)).toBeUndefined();
  });

  it.each(['/api/users/%E0%A4%A', '/bp/server/user/%ZZ', '/%', '/%C0%AF', '/%ED%A0%80'])('refuses %s as a malformed path', (path) => {
    const error = checkPathEncoding(path);
    expect(error).toMatchObject({ code: DomainErrorCode.MALFORMED_REQUEST });
    expect(isMalformedPath(error!)).toBe(true);
  });
});
