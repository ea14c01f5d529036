import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
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
import {
  IsCalendarDate,
  IsCleanText,
  IsCode,
  IsNotPersonalNumber,
  IsOptionalNotNull,
  MUNICIPALITY_CODE,
  trim,
} from '@app/http/validators';
import { IsIncomeSupportCombination } from './income-support.validator';

// Letters, digits and a few separators: enough for any case-file numbering, too little for prose.
export const PARTICIPANT_CODE = /^[\p{L}\p{N}][\p{L}\p{N} ._/:#-]{0,63}$/u;

const REASON_MESSAGE = `must be one of: ${EXIT_REASONS.join(', ')} (a registration error is withdrawn with DELETE)`;

export class CreateEnrolmentDto {
  @ApiProperty({
    example: 'UNG-2024-017',
    description: 'Pseudonymous code chosen by the insats; never a personnummer',
  })
  @Transform(trim)
  @IsString({ message: 'must be text' })
  @IsCleanText()
  @Matches(PARTICIPANT_CODE, { message: 'must be 1–64 letters, digits, spaces or . _ / : # -' })
  @IsNotPersonalNumber()
  participantCode!: string;

  @ApiProperty({ example: '2024-02-01' }) @IsCalendarDate() startedOn!: string;

  @ApiProperty({ enum: REFERRING_PARTIES }) @IsCode(REFERRING_PARTIES) referringParty!: ReferringParty;

  @ApiProperty({ enum: GENDERS }) @IsCode(GENDERS) gender!: Gender;

  @ApiPropertyOptional({ enum: AGE_BANDS, description: 'Give ageBand or age (null is refused)' })
  @IsOptionalNotNull()
  @IsCode(AGE_BANDS)
  ageBand?: AgeBand;

  @ApiPropertyOptional({
    minimum: MIN_AGE,
    maximum: MAX_AGE,
    description: 'Converted to an age band; never stored (null is refused)',
  })
  @IsOptionalNotNull()
  @IsInt({ message: 'must be a whole number of years' })
  @Min(MIN_AGE, { message: `must be between ${MIN_AGE} and ${MAX_AGE}` })
  @Max(MAX_AGE, { message: `must be between ${MIN_AGE} and ${MAX_AGE}` })
  age?: number;

  @ApiProperty({ example: '0136', description: "One of the intervention's municipalities" })
  @IsString()
  @Matches(MUNICIPALITY_CODE, { message: 'must be a four-digit SCB municipality code' })
  municipality!: string;

  @ApiPropertyOptional({ enum: EDUCATION_LEVELS, description: 'Left out: unspecified (null is refused)' })
  @IsOptionalNotNull()
  @IsCode(EDUCATION_LEVELS)
  educationLevel?: EducationLevel;

  @ApiPropertyOptional({
    enum: INCOME_SUPPORTS,
    isArray: true,
    description: 'Left out: none recorded (null is refused); none and unspecified stand alone',
  })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(INCOME_SUPPORTS.length)
  @IsCode(INCOME_SUPPORTS, { each: true })
  @IsIncomeSupportCombination()
  incomeSupportAtStart?: IncomeSupport[];
}

export class ExitEnrolmentDto {
  @ApiProperty({ example: '2024-09-30' }) @IsCalendarDate() exitedOn!: string;
  @ApiProperty({ enum: EXIT_REASONS })
  @IsIn(EXIT_REASONS, { message: REASON_MESSAGE })
  exitReason!: ExitReason;
  @ApiPropertyOptional({ enum: INCOME_SUPPORTS, isArray: true })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(INCOME_SUPPORTS.length)
  @IsCode(INCOME_SUPPORTS, { each: true })
  @IsIncomeSupportCombination()
  incomeSupportAtExit?: IncomeSupport[];
}

/**
 * Corrections: any field of an enrolment, each optional with the same rules as at registration. A field left
 * out keeps its value; null is refused for every field an enrolment must have. Only the exit may be cleared:
 * `exitedOn: null` with `exitReason: null` reopens a wrongly exited enrolment.
 */
export class UpdateEnrolmentDto {
  @ApiPropertyOptional({ example: 'UNG-2024-017' })
  @IsOptionalNotNull()
  @Transform(trim)
  @IsString({ message: 'must be text' })
  @IsCleanText()
  @Matches(PARTICIPANT_CODE, { message: 'must be 1–64 letters, digits, spaces or . _ / : # -' })
  @IsNotPersonalNumber()
  participantCode?: string;
  @ApiPropertyOptional({ example: '2024-02-01' }) @IsOptionalNotNull() @IsCalendarDate() startedOn?: string;
  @ApiPropertyOptional({ enum: REFERRING_PARTIES })
  @IsOptionalNotNull()
  @IsCode(REFERRING_PARTIES)
  referringParty?: ReferringParty;
  @ApiPropertyOptional({ enum: GENDERS }) @IsOptionalNotNull() @IsCode(GENDERS) gender?: Gender;
  @ApiPropertyOptional({ enum: AGE_BANDS }) @IsOptionalNotNull() @IsCode(AGE_BANDS) ageBand?: AgeBand;
  @ApiPropertyOptional({ minimum: MIN_AGE, maximum: MAX_AGE })
  @IsOptionalNotNull()
  @IsInt({ message: 'must be a whole number of years' })
  @Min(MIN_AGE, { message: `must be between ${MIN_AGE} and ${MAX_AGE}` })
  @Max(MAX_AGE, { message: `must be between ${MIN_AGE} and ${MAX_AGE}` })
  age?: number;
  @ApiPropertyOptional({ example: '0136' })
  @IsOptionalNotNull()
  @IsString()
  @Matches(MUNICIPALITY_CODE, { message: 'must be a four-digit SCB municipality code' })
  municipality?: string;
  @ApiPropertyOptional({ enum: EDUCATION_LEVELS })
  @IsOptionalNotNull()
  @IsCode(EDUCATION_LEVELS)
  educationLevel?: EducationLevel;
  @ApiPropertyOptional({ enum: INCOME_SUPPORTS, isArray: true, description: '[] clears it; null is refused' })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(INCOME_SUPPORTS.length)
  @IsCode(INCOME_SUPPORTS, { each: true })
  @IsIncomeSupportCombination()
  incomeSupportAtStart?: IncomeSupport[];
  @ApiPropertyOptional({ nullable: true, description: 'null (with exitReason null) reopens the enrolment' })
  @IsOptional()
  @IsCalendarDate()
  exitedOn?: string | null;
  @ApiPropertyOptional({ enum: EXIT_REASONS, nullable: true, description: 'null together with exitedOn' })
  @IsOptional()
  @IsIn(EXIT_REASONS, { message: REASON_MESSAGE })
  exitReason?: ExitReason | null;
  @ApiPropertyOptional({
    enum: INCOME_SUPPORTS,
    isArray: true,
    nullable: true,
    description: 'null or [] clears it',
  })
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(INCOME_SUPPORTS.length)
  @IsCode(INCOME_SUPPORTS, { each: true })
  @IsIncomeSupportCombination()
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
  @Transform(trim)
  @IsString({ message: 'must be text' })
  @IsCleanText()
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
