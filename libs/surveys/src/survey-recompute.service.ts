import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { SurveyRepository } from './survey.repository';
import { surveyKeys, surveyResult, type SurveyResultBody } from './survey-results';

// A job that keeps finding fresh marks hands over to the next trigger rather than looping forever.
const MAX_ROUNDS = 5;

/** Turns the answers of an (association, year) into stored results for each insats and the association. */
@Injectable()
export class SurveyRecomputeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: SurveyRepository,
  ) {}

  /** Idempotent: exits at once when nothing is dirty; clears the mark only if nobody marked it meanwhile. */
  async recompute(associationId: string, year: number): Promise<{ rounds: number }> {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const version = await this.repository.dirtyVersion(this.dataSource.manager, associationId, year);
      if (version === null) return { rounds: round };
      await this.dataSource.transaction(async (tx) => {
        await this.repository.lockAssociationYear(tx, associationId, year);
        await this.computeAndStore(tx, associationId, year);
        await this.repository.clearDirty(tx, associationId, year, version);
      });
    }
    return { rounds: MAX_ROUNDS };
  }

  /**
   * An insats's result is every round naming it (a round for two insatser counts in both, undivided: its
   * respondents cannot be split); the association's is every round once, its insatser's and association-wide.
   */
  async computeAndStore(tx: EntityManager, associationId: string, year: number): Promise<void> {
    const rounds = await this.repository.roundsOfAssociationYear(tx, associationId, year);
    const questionnaires = await this.repository.questionnaires(tx, [
      ...new Set(rounds.map((r) => r.questionnaireId)),
    ]);
    const responses = await this.repository.responsesOfRounds(
      tx,
      rounds.map((r) => r.id),
    );
    const rows: { scopeType: 'intervention' | 'association'; scopeId: string; body: SurveyResultBody }[] = [];
    // Counts and their cell keys from the same responses, stored together (the board's view needs both).
    const body = (r: typeof rounds, x: typeof responses): SurveyResultBody => ({
      ...surveyResult(r, questionnaires, x),
      keys: surveyKeys(r, questionnaires, x),
    });
    if (rounds.length) {
      rows.push({
        scopeType: 'association',
        scopeId: associationId,
        body: body(rounds, responses),
      });
      for (const interventionId of new Set(rounds.flatMap((r) => r.interventionIds))) {
        const own = rounds.filter((r) => r.interventionIds.includes(interventionId));
        const ids = new Set(own.map((r) => r.id));
        rows.push({
          scopeType: 'intervention',
          scopeId: interventionId,
          body: body(
            own,
            responses.filter((x) => ids.has(x.roundId)),
          ),
        });
      }
    }
    await this.repository.replaceResults(tx, associationId, year, rows);
  }
}
