import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { JobEnqueuer } from '@app/queue/enqueue';
import {
  JobName,
  QueueName,
  recomputeAssociationJobId,
  type RecomputeAssociationData,
} from '@app/queue/queues';
import { AggregationRepository } from './aggregation.repository';

// Interventions never change association; the map only saves a lookup per trigger.
const KNOWN_ASSOCIATIONS_MAX = 10_000;

/**
 * The write side of the aggregation. `mark` runs inside the writer's transaction (the outbox: the
 * write and its dirty mark commit together); `trigger` runs after commit and only speeds things up:
 * if Redis is away, the scheduled sweep finds the mark later, so nothing is lost and no request waits.
 * Triggers are coalesced per association (one job id), however many writes arrive.
 */
@Injectable()
export class AggregationOutbox {
  private readonly logger = new Logger(AggregationOutbox.name);
  private readonly associationOf = new Map<string, string>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: AggregationRepository,
    private readonly enqueuer: JobEnqueuer,
  ) {}

  /**
   * Marks the years dirty in the writer's transaction; `from` may say, per year, the first date whose periods
   * changed (the recompute then leaves the periods that end before it); a year not in it changed as a whole.
   */
  async mark(
    tx: EntityManager,
    interventionId: string,
    years: Iterable<number>,
    from?: ReadonlyMap<number, string>,
  ): Promise<void> {
    const associationId = await this.repository.markDirty(
      tx,
      interventionId,
      [...new Set(years)].sort(),
      from,
    );
    if (associationId) this.remember(interventionId, associationId);
  }

  trigger(interventionId: string, years: Iterable<number>): void {
    if ([...years].length === 0) return;
    this.associationFor(interventionId)
      .then((associationId) => (associationId ? this.enqueue(associationId) : undefined))
      .catch((error: Error) =>
        this.logger.warn(`Recompute not enqueued (the sweep will pick it up): ${error.message}`),
      );
  }

  /**
   * Adds the association's recompute unless one is already waiting or running (the same job id), through the
   * one enqueue path: it fails at once while Redis is away (nothing piles up in the client's offline queue).
   * A delayed job holds the id too: triggers before it is due are served by it.
   */
  async enqueue(associationId: string, delayMs = 0): Promise<void> {
    await this.enqueuer.enqueue(QueueName.Aggregation, {
      name: JobName.RecomputeAssociation,
      data: { associationId } satisfies RecomputeAssociationData,
      opts: { jobId: recomputeAssociationJobId(associationId), ...(delayMs > 0 ? { delay: delayMs } : {}) },
    });
  }

  /**
   * After a recompute job ends: a trigger that came while it ran was dropped (same job id), so marks left
   * now are enqueued again, at once or when the association's next round is due (`delayMs`), instead of
   * waiting for the sweep.
   */
  async requeueIfDirty(associationId: string, delayMs = 0): Promise<void> {
    if (await this.repository.hasDirtyMarks(this.dataSource.manager, associationId))
      await this.enqueue(associationId, delayMs);
  }

  private async associationFor(interventionId: string): Promise<string | null> {
    const known = this.associationOf.get(interventionId);
    if (known) return known;
    const associationId = await this.repository.associationOf(this.dataSource.manager, interventionId);
    if (associationId) this.remember(interventionId, associationId);
    return associationId;
  }

  private remember(interventionId: string, associationId: string): void {
    if (this.associationOf.size >= KNOWN_ASSOCIATIONS_MAX) this.associationOf.clear();
    this.associationOf.set(interventionId, associationId);
  }
}
