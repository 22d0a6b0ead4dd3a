import { ApiProperty } from '@nestjs/swagger';

/** The documented shape of the seed's user object (userpool-user.presenter.ts); every other seed field is there too, null. */
export class UserpoolUserDto {
  @ApiProperty({ example: '1' }) id: string;
  @ApiProperty({ example: 'demo' }) userpoolId: string;
  @ApiProperty({ example: 'Activated' }) status: string;
  @ApiProperty({ type: String, nullable: true, example: 'alice@example.com' }) email: string | null;
  @ApiProperty({ type: String, nullable: true }) username: string | null;
  @ApiProperty({ type: String, nullable: true }) phone: string | null;
  @ApiProperty({ type: Object, nullable: true, example: null, description: 'always null' }) password: null;
  @ApiProperty({ example: false }) emailVerified: boolean;
  @ApiProperty({ type: [String], example: ['basic:email'] }) registerSource: string[];
  @ApiProperty({ type: 'integer', example: 0, description: 'Sign-ins so far: logins, and a registration with forceLogin' })
  loginsCount: number;
  @ApiProperty({ type: String, nullable: true, format: 'date-time', description: 'The last sign-in' }) lastLogin: string | null;
  @ApiProperty({ type: String, nullable: true, example: '203.0.113.7', description: 'The client address of the last sign-in' }) lastIp:
    string | null;
  @ApiProperty({ type: 'integer', nullable: true, example: 1, description: '1-3 by the mix of character kinds' }) passwordSecurityLevel:
    number | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'HS256 JWT: from a login, a registration with forceLogin, or the one users/me was called with',
  })
  token: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) tokenExpiredAt: string | null;
  @ApiProperty({ example: true, description: 'True in the answer to the registration that made the user' }) newUser: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
  @ApiProperty({ format: 'date-time' }) signedUp: string;
}

export class UserpoolRegisterResponseDto {
  @ApiProperty({ type: 'integer', enum: [0] }) code: number;
  @ApiProperty({ enum: [true] }) success: boolean;
  @ApiProperty({ example: 'success' }) msg: string;
  @ApiProperty({ type: UserpoolUserDto }) data: UserpoolUserDto;
}

export class UserpoolTokenDto {
  @ApiProperty({ description: 'A new HS256 JWT for the same user; the one presented stays valid until it expires or the sessions end' })
  token: string;
  @ApiProperty({ type: 'integer', example: 1767225600, description: 'Issued at, epoch seconds' }) iat: number;
  @ApiProperty({ type: 'integer', example: 1768521600, description: 'Expires at, epoch seconds' }) exp: number;
}

export class UserpoolTokenResponseDto {
  @ApiProperty({ type: 'integer', enum: [0] }) code: number;
  @ApiProperty({ enum: [true] }) success: boolean;
  @ApiProperty({ example: 'success' }) msg: string;
  @ApiProperty({ type: UserpoolTokenDto }) data: UserpoolTokenDto;
}

/** `{code: 0, success: true, msg, data: {}}` */
export class UserpoolDoneResponseDto {
  @ApiProperty({ type: 'integer', enum: [0] }) code: number;
  @ApiProperty({ enum: [true] }) success: boolean;
  @ApiProperty({ example: 'success' }) msg: string;
  @ApiProperty({ type: 'object', additionalProperties: false, example: {} }) data: Record<string, never>;
}

/** `{code, success: false, msg, data: {}}` */
export class UserpoolErrorResponseDto {
  @ApiProperty({ type: 'integer', example: 2026, description: "Authing's code; each response's description lists them" }) code: number;
  @ApiProperty({ enum: [false] }) success: boolean;
  @ApiProperty({ example: 'User already exists' }) msg: string;
  @ApiProperty({ type: 'object', additionalProperties: false, example: {} }) data: Record<string, never>;
}
