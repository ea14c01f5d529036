import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsInt,
  IsUUID,
  IsOptional,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { MEMBER_ORGANISATION_KINDS, type MemberOrganisationKind } from '@app/domain';
import { INTERVENTION_KINDS, type InterventionKind } from '@app/domain';
import {
  IsCalendarDate,
  IsCode,
  IsOptionalNotNull,
  IsShare,
  IsText,
  MUNICIPALITY_CODE,
} from '@app/http/validators';

export class CreateAssociationDto {
  @ApiProperty({ example: 'Samordningsförbundet Södertörn' })
  @IsText({ maxLength: 200 })
  name!: string;
  @ApiPropertyOptional({ example: '222000-1234' })
  @IsOptional()
  @Matches(/^[0-9]{6}-[0-9]{4}$/, { message: 'must be written NNNNNN-NNNN' })
  organisationNumber?: string;
  @ApiPropertyOptional({ example: 'Stockholms län', nullable: true, description: 'null or left out: none' })
  @IsOptional()
  @IsText({ maxLength: 100 })
  county?: string;
  @ApiPropertyOptional({
    example: 3,
    description: 'Disclosure control threshold k (counts 1..k-1 are masked)',
  })
  @IsOptional()
  @IsInt({ message: 'must be a whole number' })
  @Min(2)
  @Max(50)
  disclosureThreshold?: number;
}

export class AssociationView {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiPropertyOptional({ nullable: true }) organisationNumber!: string | null;
  @ApiPropertyOptional({ nullable: true }) county!: string | null;
  @ApiProperty() disclosureThreshold!: number;
  @ApiProperty() createdAt!: string;
}

export class CreateMemberOrganisationDto {
  @ApiProperty({ enum: MEMBER_ORGANISATION_KINDS })
  @IsCode(MEMBER_ORGANISATION_KINDS)
  kind!: MemberOrganisationKind;
  @ApiProperty({ example: 'Haninge kommun' })
  @IsText({ maxLength: 200 })
  name!: string;
  @ApiPropertyOptional({ example: '0136', description: 'Required when kind is municipality' })
  @IsOptional()
  @Matches(MUNICIPALITY_CODE, { message: 'must be a four-digit SCB municipality code' })
  municipality?: string;
}

export class MemberOrganisationView {
  @ApiProperty() id!: string;
  @ApiProperty() associationId!: string;
  @ApiProperty({ enum: MEMBER_ORGANISATION_KINDS }) kind!: MemberOrganisationKind;
  @ApiProperty() name!: string;
  @ApiPropertyOptional({ nullable: true }) municipality!: string | null;
}

export class CreateInterventionDto {
  @ApiProperty() @IsUUID('all', { message: 'must be an id' }) associationId!: string;
  @ApiProperty({ example: 'Unga till arbete' })
  @IsText({ maxLength: 200 })
  name!: string;
  @ApiProperty({ example: '2024-01-01' }) @IsCalendarDate() startsOn!: string;
  @ApiPropertyOptional({ example: '2026-12-31', nullable: true, description: 'null or left out: open-ended' })
  @IsOptional()
  @IsCalendarDate()
  endsOn?: string;
  @ApiProperty({ example: ['0136'], type: [String] })
  @IsArray()
  @ArrayMinSize(1, { message: 'must name at least one municipality' })
  @ArrayMaxSize(290, { message: 'must name at most every municipality of Sweden (290)' })
  @ArrayUnique()
  @Matches(MUNICIPALITY_CODE, { each: true, message: 'must be four-digit SCB municipality codes' })
  municipalities!: string[];
  @ApiPropertyOptional()
  @IsOptional()
  @IsText({ maxLength: 4000, multiline: true })
  description?: string;
  @ApiPropertyOptional({
    enum: INTERVENTION_KINDS,
    default: 'individual',
    description: 'individual (individinriktad: has participants) or structural (strukturinriktad)',
  })
  @IsOptional()
  @IsCode(INTERVENTION_KINDS)
  kind?: InterventionKind;
}

/** Changing an insats after it was created (today: its kind). */
export class UpdateInterventionDto {
  @ApiPropertyOptional({ enum: INTERVENTION_KINDS })
  @IsOptionalNotNull()
  @IsCode(INTERVENTION_KINDS)
  kind?: InterventionKind;
}

export class InterventionView {
  @ApiProperty() id!: string;
  @ApiProperty() associationId!: string;
  @ApiProperty() name!: string;
  @ApiPropertyOptional({ nullable: true }) description!: string | null;
  @ApiProperty() startsOn!: string;
  @ApiPropertyOptional({ nullable: true }) endsOn!: string | null;
  @ApiProperty({ type: [String] }) municipalities!: string[];
  @ApiProperty() createdAt!: string;
  @ApiProperty({ enum: INTERVENTION_KINDS }) kind!: InterventionKind;
}

export class PutGoalsDto {
  @ApiPropertyOptional({ example: 275 })
  @IsOptional()
  @IsInt({ message: 'must be a whole number' })
  @Min(0)
  @Max(1_000_000)
  participants?: number;
  @ApiPropertyOptional({ example: 120 })
  @IsOptional()
  @IsInt({ message: 'must be a whole number' })
  @Min(0)
  @Max(1_000_000)
  newParticipants?: number;
  @ApiPropertyOptional({ example: 0.4 })
  @IsOptional()
  @IsShare()
  shareWorkOrStudies?: number;
  @ApiPropertyOptional({ example: 0.2 })
  @IsOptional()
  @IsShare()
  shareOrdinaryIntervention?: number;
}

export class GoalsView {
  @ApiProperty() interventionId!: string;
  @ApiProperty() year!: number;
  @ApiPropertyOptional({ nullable: true }) participants!: number | null;
  @ApiPropertyOptional({ nullable: true }) newParticipants!: number | null;
  @ApiPropertyOptional({ nullable: true }) shareWorkOrStudies!: number | null;
  @ApiPropertyOptional({ nullable: true }) shareOrdinaryIntervention!: number | null;
}

export class MunicipalityView {
  @ApiProperty({ example: '0136' }) code!: string;
  @ApiProperty({ example: 'Haninge' }) name!: string;
  @ApiProperty({ example: '01' }) countyCode!: string;
}
