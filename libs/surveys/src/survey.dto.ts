import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

export class CreateSurveyRoundDto {
  @ApiProperty() @IsUUID('all', { message: 'must be an id' }) associationId!: string;

  @ApiProperty({ example: 'nns-staff-2021' })
  @IsString({ message: 'must be a questionnaire id' })
  @MaxLength(100)
  @Matches(/^[a-z0-9][a-z0-9._-]*$/, { message: 'must be a questionnaire id' })
  questionnaireId!: string;

  @ApiProperty({ example: 2021 })
  @IsInt({ message: 'must be a whole number' })
  @Min(1990, { message: 'must be a year between 1990 and 2100' })
  @Max(2100, { message: 'must be a year between 1990 and 2100' })
  year!: number;

  @ApiProperty({ example: 40, description: 'How many were invited to answer' })
  @IsInt({ message: 'must be a whole number' })
  @Min(1, { message: 'must be at least 1' })
  @Max(1_000_000, { message: 'must be at most 1000000' })
  invited!: number;

  @ApiPropertyOptional({ description: 'The insatser surveyed; none: association-wide (e.g. the board)' })
  @IsOptional()
  @IsArray({ message: 'must be a list of ids' })
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true, message: 'must be a list of ids' })
  interventionIds?: string[];
}

export class SurveyResponseDto {
  @ApiProperty({ example: { 'staff-time-needed': '5' }, description: 'Question id → answer code or label' })
  @IsObject({ message: 'must be an object of question id → answer' })
  answers!: Record<string, unknown>;
}

export class CreateSurveyLinksDto {
  @ApiProperty({ example: 40 })
  @IsInt({ message: 'must be a whole number' })
  @Min(1, { message: 'must be at least 1' })
  @Max(2000, { message: 'must be at most 2000' })
  count!: number;
}

export class SurveyRoundQueryDto {
  @IsOptional() @IsUUID('all', { message: 'must be an id' }) associationId?: string;
  @IsOptional() @Matches(/^\d{4}$/, { message: 'must be a year' }) year?: string;
}

export class SurveyImportQueryDto {
  @IsOptional() @IsIn(['true', 'false'], { message: 'must be true or false' }) dryRun?: string;
}

export class SurveyReportQueryDto {
  @Matches(/^\d{4}$/, { message: 'must be a year such as 2021' }) year!: string;
}
