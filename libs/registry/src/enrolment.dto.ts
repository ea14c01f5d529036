import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import {
  AGE_BANDS,
  EDUCATION_LEVELS,
  EXIT_REASONS,
  GENDERS,
  INCOME_SUPPORTS,
  MAX_AGE,
  MIN_AGE,
  REFERRING_PARTIES,
  type AgeBand,
  type EducationLevel,
  type ExitCategory,
  type ExitReason,
  type Gender,
  type IncomeSupport,
  type ReferringParty,
} from '@app/domain';
import { IsCalendarDate, IsCode, IsNotPersonalNumber, MUNICIPALITY_CODE, trim } from '@app/http/validators';

// Letters, digits and a few separators: enough for any case-file numbering, too little for prose.
export const PARTICIPANT_CODE = /^[\p{L}\p{N}][\p{L}\p{N} ._/:#-]{0,63}$/u;

const REASON_MESSAGE = `must be one of: ${EXIT_REASONS.join(', ')} (a registration error is withdrawn with DELETE)`;

export class CreateEnrolmentDto {
  @ApiProperty({
    example: 'UNG-2024-017',
    description: 'Pseudonymous code chosen by the insats; never a personnummer',
  })
  @Transform(trim)
  @IsString()
  @Matches(PARTICIPANT_CODE, { message: 'must be 1–64 letters, digits, spaces or . _ / : # -' })
  @IsNotPersonalNumber()
  participantCode!: string;

  @ApiProperty({ example: '2024-02-01' }) @IsCalendarDate() startedOn!: string;

  @ApiProperty({ enum: REFERRING_PARTIES }) @IsCode(REFERRING_PARTIES) referringParty!: ReferringParty;

  @ApiProperty({ enum: GENDERS }) @IsCode(GENDERS) gender!: Gender;

  @ApiPropertyOptional({ enum: AGE_BANDS, description: 'Give ageBand or age' })
  @IsOptional()
  @IsCode(AGE_BANDS)
  ageBand?: AgeBand;

  @ApiPropertyOptional({
    minimum: MIN_AGE,
    maximum: MAX_AGE,
    description: 'Converted to an age band; never stored',
  })
  @IsOptional()
  @IsInt({ message: 'must be a whole number of years' })
  @Min(MIN_AGE, { message: `must be between ${MIN_AGE} and ${MAX_AGE}` })
  @Max(MAX_AGE, { message: `must be between ${MIN_AGE} and ${MAX_AGE}` })
  age?: number;

  @ApiProperty({ example: '0136' })
  @IsString()
  @Matches(MUNICIPALITY_CODE, { message: 'must be a four-digit SCB municipality code' })
  municipality!: string;

  @ApiPropertyOptional({ enum: EDUCATION_LEVELS })
  @IsOptional()
  @IsCode(EDUCATION_LEVELS)
  educationLevel?: EducationLevel;

  @ApiPropertyOptional({ enum: INCOME_SUPPORTS, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsCode(INCOME_SUPPORTS, { each: true })
  incomeSupportAtStart?: IncomeSupport[];
}

export class ExitEnrolmentDto {
  @ApiProperty({ example: '2024-09-30' }) @IsCalendarDate() exitedOn!: string;
  @ApiProperty({ enum: EXIT_REASONS })
  @IsIn(EXIT_REASONS, { message: REASON_MESSAGE })
  exitReason!: ExitReason;
  @ApiPropertyOptional({ enum: INCOME_SUPPORTS, isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsCode(INCOME_SUPPORTS, { each: true })
  incomeSupportAtExit?: IncomeSupport[];
}

/**
 * Corrections: any field of an enrolment, each optional with the same rules as at registration.
 * `exitedOn: null` (with `exitReason: null`) reopens a wrongly exited enrolment.
 */
export class UpdateEnrolmentDto extends PartialType(CreateEnrolmentDto) {
  @ApiPropertyOptional({ nullable: true }) @IsOptional() @IsCalendarDate() exitedOn?: string | null;
  @ApiPropertyOptional({ enum: EXIT_REASONS, nullable: true })
  @IsOptional()
  @IsIn(EXIT_REASONS, { message: REASON_MESSAGE })
  exitReason?: ExitReason | null;
  @ApiPropertyOptional({ enum: INCOME_SUPPORTS, isArray: true, nullable: true })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsCode(INCOME_SUPPORTS, { each: true })
  incomeSupportAtExit?: IncomeSupport[] | null;
}

export class ListEnrolmentsQuery {
  @ApiPropertyOptional({ enum: ['open', 'exited'] })
  @IsOptional()
  @IsIn(['open', 'exited'], { message: 'must be open or exited' })
  status?: 'open' | 'exited';
  @ApiPropertyOptional({ default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(1_000_000)
  page?: number;
  @ApiPropertyOptional({ default: 50, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number' })
  @Min(1)
  @Max(500)
  pageSize?: number;
  @ApiPropertyOptional({ description: 'Exact participant code' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  participantCode?: string;
}

export class EnrolmentView {
  @ApiProperty() id!: string;
  @ApiProperty() interventionId!: string;
  @ApiProperty() participantCode!: string;
  @ApiProperty({ enum: ['open', 'exited'] }) status!: 'open' | 'exited';
  @ApiProperty() startedOn!: string;
  @ApiProperty({ enum: REFERRING_PARTIES }) referringParty!: ReferringParty;
  @ApiProperty({ enum: GENDERS }) gender!: Gender;
  @ApiProperty({ enum: AGE_BANDS }) ageBand!: AgeBand;
  @ApiProperty() municipality!: string;
  @ApiProperty({ enum: EDUCATION_LEVELS }) educationLevel!: EducationLevel;
  @ApiProperty({ enum: INCOME_SUPPORTS, isArray: true }) incomeSupportAtStart!: IncomeSupport[];
  @ApiPropertyOptional({ nullable: true }) exitedOn!: string | null;
  @ApiPropertyOptional({ enum: EXIT_REASONS, nullable: true }) exitReason!: ExitReason | null;
  @ApiPropertyOptional({ nullable: true }) exitCategory!: ExitCategory | null;
  @ApiPropertyOptional({ enum: INCOME_SUPPORTS, isArray: true, nullable: true }) incomeSupportAtExit!:
    IncomeSupport[] | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class EnrolmentPage {
  @ApiProperty({ type: [EnrolmentView] }) items!: EnrolmentView[];
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
  @ApiProperty() total!: number;
}
