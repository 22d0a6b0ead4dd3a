import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

class PhoneDto {
  @ApiProperty({ example: '+8615512345678' }) phone_number: string;
}

class SessionDto {
  @ApiProperty({ description: 'opaque; send it as X-BytePower-Session-Token' }) session_token: string;
}

export class BytepowerUserDto {
  @ApiProperty({ example: 'u12345' }) uid: string;
  @ApiProperty({ type: String, nullable: true, example: 'happymumu', description: 'null for an email sign-up' }) name: string | null;
  @ApiProperty({ description: 'milliseconds since the epoch' }) create_time: number;
  @ApiProperty() is_new_user: boolean;
  @ApiProperty({ type: [Object], example: [] }) social_accounts: never[];
  @ApiProperty({ type: PhoneDto, nullable: true }) phone: PhoneDto | null;
  @ApiProperty({ type: String, nullable: true }) email: string | null;
  @ApiProperty({ type: String, nullable: true }) cuid: string | null;
  @ApiPropertyOptional({ type: SessionDto, description: 'on sign-up and login' }) session?: SessionDto;
}

export class BytepowerUserResponseDto {
  @ApiProperty({ type: BytepowerUserDto }) user: BytepowerUserDto;
}

class BytepowerErrorDto {
  @ApiProperty({ example: 'invalid_parameter' }) error_type: string;
  @ApiProperty() message: string;
}

export class BytepowerErrorResponseDto {
  @ApiProperty({ type: BytepowerErrorDto }) error: BytepowerErrorDto;
}
