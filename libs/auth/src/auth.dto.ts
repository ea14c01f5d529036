import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEmail,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
} from 'class-validator';
import { ROLES, type Role } from '@app/domain';
import { IsCode, IsOptionalNotNull, IsText } from '@app/http/validators';

export class LoginDto {
  @ApiProperty({ example: 'admin@example.se' }) @IsString() @MaxLength(254) email!: string;
  @ApiProperty() @IsString() @MaxLength(1024) password!: string;
}

export class ChangePasswordDto {
  @ApiProperty() @IsString() @MaxLength(1024) currentPassword!: string;
  @ApiProperty({ minLength: 12 }) @IsString() @MaxLength(1024) newPassword!: string;
}

export class TokenResponse {
  @ApiProperty() accessToken!: string;
  @ApiProperty({ example: 'Bearer' }) tokenType!: 'Bearer';
  @ApiProperty({ example: 3600 }) expiresIn!: number;
}

export class CreateUserDto {
  @ApiProperty() @IsEmail({}, { message: 'must be an email address' }) @MaxLength(254) email!: string;
  @ApiProperty({ minLength: 12 })
  @IsString()
  @MinLength(12, { message: 'must be at least 12 characters' })
  @MaxLength(1024)
  password!: string;
  @ApiProperty({ enum: ROLES }) @IsCode(ROLES) role!: Role;
  @ApiPropertyOptional() @IsOptional() @IsText({ maxLength: 200 }) displayName?: string;
  @ApiPropertyOptional({ type: [String], description: 'For evaluator and board users' })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsUUID('all', { each: true, message: 'must be a list of ids' })
  associationIds?: string[];
  @ApiPropertyOptional({ type: [String], description: 'For coordinators' })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsUUID('all', { each: true, message: 'must be a list of ids' })
  interventionIds?: string[];
}

export class UpdateUserDto {
  @ApiPropertyOptional() @IsOptionalNotNull() @IsBoolean() active?: boolean;
  @ApiPropertyOptional({ enum: ROLES, description: 'Grants must fit the new role (send them too)' })
  @IsOptionalNotNull()
  @IsCode(ROLES)
  role?: Role;
  @ApiPropertyOptional()
  // Null is not "no change": a password cannot be removed, so it is refused like any other wrong type.
  @IsOptionalNotNull()
  @IsString()
  @MinLength(12, { message: 'must be at least 12 characters' })
  @MaxLength(1024)
  password?: string;
  @ApiPropertyOptional() @IsOptionalNotNull() @IsText({ maxLength: 200 }) displayName?: string;
  @ApiPropertyOptional({ type: [String] })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayUnique()
  @IsUUID('all', { each: true, message: 'must be a list of ids' })
  associationIds?: string[];
  @ApiPropertyOptional({ type: [String] })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayUnique()
  @IsUUID('all', { each: true, message: 'must be a list of ids' })
  interventionIds?: string[];
}

export class UserView {
  @ApiProperty() id!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiPropertyOptional({ nullable: true }) displayName!: string | null;
  @ApiProperty() active!: boolean;
  @ApiProperty({ type: [String] }) associationIds!: string[];
  @ApiProperty({ type: [String] }) interventionIds!: string[];
  @ApiProperty() createdAt!: string;
}
