import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The documented shape of `GET /api/users/{id}`. */
export class UserAttributesDto {
  @ApiProperty({ example: 1, description: 'The id again, where the web client reads it' }) id: number;
  @ApiProperty({ example: 'alice' }) username: string;
  @ApiProperty({ example: '' }) avatarUrl: string;
  @ApiProperty({ example: 0, description: '0 normal' }) status: number;
  @ApiProperty({ example: '2026-01-01T00:00:00.000Z' }) createdAt: string;
  @ApiProperty({ example: '2026-01-01T00:00:00.000Z' }) updatedAt: string;
  @ApiProperty({ example: '2026-01-01T00:00:00.000Z' }) joinedAt: string;
  @ApiProperty({ example: true, description: "true on one's own profile" }) canEdit: boolean;
  @ApiPropertyOptional({ example: '想参与讨论', description: "Only on one's own profile" }) registerReason?: string;
  @ApiPropertyOptional({ example: '138****8000', description: "Only on one's own profile: the mobile, masked; empty without one" })
  mobile?: string;
  @ApiPropertyOptional({
    example: '13800138000',
    description: "Only on one's own profile: the mobile as sms/send takes it (11 digits, or E.164 outside mainland China)",
  })
  originalMobile?: string;
  @ApiPropertyOptional({
    example: true,
    description: "Only on one's own profile: false for an account made by SMS or WeChat until it sets one",
  })
  hasPassword?: boolean;
}

export class ResourceIdentifierDto {
  @ApiProperty({ example: 'groups' }) type: string;
  @ApiProperty({ example: '10' }) id: string;
}

export class GroupsRelationshipDto {
  @ApiProperty({ type: [ResourceIdentifierDto] }) data: ResourceIdentifierDto[];
}

export class UserRelationshipsDto {
  @ApiProperty({ type: GroupsRelationshipDto }) groups: GroupsRelationshipDto;
}

export class UserResourceDto {
  @ApiProperty({ example: 'users' }) type: string;
  @ApiProperty({ example: '1' }) id: string;
  @ApiProperty({ type: UserAttributesDto }) attributes: UserAttributesDto;
  @ApiProperty({ type: UserRelationshipsDto }) relationships: UserRelationshipsDto;
}

export class GroupResourceDto {
  @ApiProperty({ example: 'groups' }) type: string;
  @ApiProperty({ example: '10' }) id: string;
  @ApiProperty({ example: { name: '普通会员', default: true, isDisplay: false } }) attributes: object;
}

export class UserDocumentDto {
  @ApiProperty({ type: UserResourceDto }) data: UserResourceDto;
  @ApiPropertyOptional({ type: [GroupResourceDto], description: 'With include=groups' }) included?: GroupResourceDto[];
}
