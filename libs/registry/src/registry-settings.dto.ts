import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, Matches, Max, Min } from 'class-validator';
import { MUNICIPALITY_CODE } from '@app/http/validators';

/** A new disclosure threshold k of an association (the same bounds as when it is created). */
export class SetDisclosureThresholdDto {
  @ApiProperty({ example: 3, description: 'Disclosure control threshold k (counts 1..k-1 are masked)' })
  @IsInt({ message: 'must be a whole number' })
  @Min(2, { message: 'must be between 2 and 50' })
  @Max(50, { message: 'must be between 2 and 50' })
  disclosureThreshold!: number;
}

/** The municipalities an insats serves, replacing the current set (the same rule as when it is created). */
export class SetInterventionMunicipalitiesDto {
  @ApiProperty({ type: [String], example: ['0136', '0138'] })
  @IsArray({ message: 'must name at least one municipality' })
  @ArrayMinSize(1, { message: 'must name at least one municipality' })
  @ArrayMaxSize(290)
  @Matches(MUNICIPALITY_CODE, { each: true, message: 'must be four-digit SCB municipality codes' })
  municipalities!: string[];
}
