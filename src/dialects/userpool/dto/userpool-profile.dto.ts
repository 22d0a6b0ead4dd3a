import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, IsUrl, Matches, MaxLength } from 'class-validator';

/** The seed's user fields a client may set at registration; any other key is refused. */
export class UserpoolProfileDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) nickname?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(128) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(128) displayName?: string;
  @ApiPropertyOptional({ example: '+8613800000000' })
  @IsOptional()
  @Matches(/^\+?[0-9][0-9 -]{3,30}$/)
  phone?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(128) company?: string;
  @ApiPropertyOptional() @IsOptional() @IsUrl({ require_protocol: true, protocols: ['http', 'https'] }) @MaxLength(1024) photo?: string;
  @ApiPropertyOptional() @IsOptional() @IsUrl({ require_protocol: true, protocols: ['http', 'https'] }) @MaxLength(1024) website?: string;
  @ApiPropertyOptional() @IsOptional() @IsIn(['M', 'F', 'U']) gender?: string;
  @ApiPropertyOptional({ format: 'date', example: '1990-01-31' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  birthdate?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) folk?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) education?: string;
  @ApiPropertyOptional({ example: 'Asia/Shanghai' }) @IsOptional() @IsString() @MaxLength(64) zoneinfo?: string;
  @ApiPropertyOptional({ example: 'zh-CN' }) @IsOptional() @Matches(/^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$/) locale?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(255) address?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(255) formatted?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(255) streetAddress?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(128) locality?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(128) region?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(32) postalCode?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(128) city?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(128) province?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(128) country?: string;
}
