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
  @ApiProperty({ type: 'integer', example: 0, description: '1 when forceLogin logged the user in' }) loginsCount: number;
  @ApiProperty({ type: 'integer', nullable: true, example: 1, description: '1-3 by the mix of character kinds' }) passwordSecurityLevel:
    number | null;
  @ApiProperty({ type: String, nullable: true, description: 'HS256 JWT when forceLogin is true' }) token: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) tokenExpiredAt: string | null;
  @ApiProperty({ example: true }) newUser: boolean;
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

/** `{code, success: false, msg, data: {}}` */
export class UserpoolErrorResponseDto {
  @ApiProperty({ type: 'integer', example: 2026, description: "Authing's code; each response's description lists them" }) code: number;
  @ApiProperty({ enum: [false] }) success: boolean;
  @ApiProperty({ example: 'User already exists' }) msg: string;
  @ApiProperty({ type: 'object', additionalProperties: false, example: {} }) data: Record<string, never>;
}
