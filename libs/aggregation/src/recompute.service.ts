import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  computePeriodCounts,
  exitDays,
  expandCounts,
  median,
  periodsOfYearFrom,
  subtractCounts,
  todayInStockholm,
  yearOf,
  type Period,
  type PeriodCounts,
} from '@app/domain';
import {
  computePeriodKeys,
  expandKeys,
  subtractPeriodKeys,
  type PeriodKeys,
} from '@app/domain/disclosure-control-cell-key';
import {
  AggregationRepository,
  type DirtyMark,
  type InterventionInfo,
  type RebuildFailure,
  type ScopedFact,
} from './aggregation.repository';
import { PurgedFiguresRepository } from './purged-figures.repository';
import {
  factsTouchingYear,
  resultRow,
  scopeYears,
  sinceStartPeriod,
  sumOfParts,
  type ResultRow,
} from './scope-results';

// A job that keeps finding fresh marks hands over to the next trigger rather than looping forever.
const MAX_ROUNDS = 20;
const RUN_LOG_DAYS = 90;
const RECOMPUTE_LOG_DAYS = 14;
// From this many dirty (insats, year) marks on (an import, a bulk change), computing the association in
// one SQL statement beats loading its rows into Node: 100,000 enrolments in seconds instead of minutes.
export const SET_BASED_MIN_MARKS = 20;
// When each association's last round with writes arriving during it started, and the gap to its next; bounded.
const BUSY_ROUNDS_MAX = 10_000;
/**
 * While writes stream in, an association's rounds take at most this share of its time: a round that took longer
 * than a quarter of the spacing (the machine is busy) spaces the next one further, so that one serves more
 * writes at once and the recomputes do not take the CPU the requests need.
 */
export const BUSY_ROUND_SHARE = 0.25;

const markKey = (interventionId: string, year: number) => `${interventionId}/${year}`;

/** The earlier of two marks' dates, where null (the whole year) is earliest. */
const earlierFrom = (a: string | null, b: string | null): string | null =>
  a === null || b === null ? null : a < b ? a : b;

/** Turns raw enrolments into stored period results, for what is dirty in one association or for everything. */
@Injectable()
export class RecomputeService {
  private readonly logger = new Logger(RecomputeService.name);
  private readonly busyRoundAt = new Map<string, { startedAt: number; gapMs: number }>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly repository: AggregationRepository,
    private readonly purged: PurgedFiguresRepository,
  ) {}

  /**
   * Serves every dirty mark of the association, however many writes made them: each round reads the
   * marks, computes what they ask for, and clears the marks nobody marked again meanwhile; a write that
   * arrives during a round is served by the next. Exits at once when nothing is dirty.
   *
   * A round during which writes arrived (marks are left when it ends) shows a stream of writes: the next round
   * then starts `spacingMs` after it started (in this process), so each round serves that much of the stream;
   * if the round itself took more than BUSY_ROUND_SHARE of that, the gap is its duration / BUSY_ROUND_SHARE.
   * It is not waited for here, holding a worker slot, but returned as `nextRoundInMs` for the caller to
   * schedule. A round that ends with nothing left keeps no spacing: the next write is recomputed at once.
   * `spacingMs` 0 runs round after round.
   */
  async recomputeAssociation(
    associationId: string,
    spacingMs = 0,
  ): Promise<{ rounds: number; nextRoundInMs?: number }> {
    const m = this.dataSource.manager;
    const dueIn = () => {
      const last = this.busyRoundAt.get(associationId);
      return last ? last.startedAt + last.gapMs - Date.now() : -Infinity;
    };
    const wait = dueIn();
    if (wait > 0) return { rounds: 0, nextRoundInMs: wait };
    // The marks read after a round (what arrived during it) are the next round's: one read per round.
    let marks = await this.repository.dirtyMarksOfAssociation(m, associationId);
    for (let round = 0; round < MAX_ROUNDS; round++) {
      if (marks.length === 0) return { rounds: round };
      const startedAt = Date.now();
      if (marks.length >= SET_BASED_MIN_MARKS) await this.recomputeSetBased(associationId);
      else await this.recomputeMarks(associationId, marks);
      marks = await this.repository.dirtyMarksOfAssociation(m, associationId);
      if (marks.length === 0) {
        this.busyRoundAt.delete(associationId);
        return { rounds: round + 1 };
      }
      if (this.busyRoundAt.size >= BUSY_ROUNDS_MAX) this.busyRoundAt.clear();
      const tookMs = Date.now() - startedAt;
      const gapMs = spacingMs > 0 ? Math.max(spacingMs, tookMs / BUSY_ROUND_SHARE) : 0;
      this.busyRoundAt.set(associationId, { startedAt, gapMs });
      const next = dueIn();
      if (next > 0) return { rounds: round + 1, nextRoundInMs: next };
    }
    return { rounds: MAX_ROUNDS };
  }

  /** The job of an older version, still queued after an upgrade: served by its association's recompute. */
  async recomputeInterventionYear(interventionId: string): Promise<{ rounds: number }> {
    const associationId = await this.repository.associationOf(this.dataSource.manager, interventionId);
    return associationId ? this.recomputeAssociation(associationId) : { rounds: 0 };
  }

  /**
   * One round for a big change: every result of the association by the rebuild's statement, with the
   * same guarantees (marks read under the lock before the rows, only their versions cleared, purged
   * periods kept), logged as a recompute.
   */
  private async recomputeSetBased(associationId: string): Promise<void> {
    const startedAt = new Date();
    const { enrolments, results } = await this.rebuildAssociation(associationId);
    await this.repository.recordRun(this.dataSource.manager, {
      kind: 'recompute',
      scopeId: associationId,
      year: null,
      startedAt,
      enrolments,
      results,
    });
  }

  /**
   * One round. Loads without a lock: the dirty interventions' own enrolments (by index), the stored
   * results of the clean ones as parts of the association's sums, and the association's distinct persons
   * and medians (which do not add up) from one aggregate query. Then writes under the association's lock,
   * only where a mark read at the start still exists (else a newer computation already wrote them), and
   * clears only marks whose version is unchanged: a write after the marks were read keeps its mark.
   */
  private async recomputeMarks(associationId: string, marks: DirtyMark[]): Promise<void> {
    const startedAt = new Date();
    const m = this.dataSource.manager;
    const today = todayInStockholm();
    const interventions = await this.repository.interventionsOfAssociation(m, associationId);
    if (interventions.length === 0) return;
    const byId = new Map(interventions.map((i) => [i.id, i]));
    // Each dirty (insats, year) with the date its periods changed from (null: the whole year).
    const dirtyYears = new Map<string, Map<number, string | null>>();
    // The association's periods of a year change from the earliest date of any of its marks that year.
    const yearFrom = new Map<number, string | null>();
    for (const k of marks) {
      if (!byId.has(k.interventionId)) continue;
      const years = dirtyYears.get(k.interventionId) ?? new Map<number, string | null>();
      years.set(k.year, k.from);
      dirtyYears.set(k.interventionId, years);
      const earlier = yearFrom.get(k.year);
      yearFrom.set(k.year, earlier === undefined ? k.from : earlierFrom(earlier, k.from));
    }
    const associationStart = interventions.map((i) => i.startsOn).sort()[0];
    const associationYears = new Set(scopeYears(associationStart, today));
    const years = [...yearFrom.keys()].filter((y) => associationYears.has(y)).sort();
    const periods: Period[] = [
      ...years.flatMap((y) => periodsOfYearFrom(y, yearFrom.get(y)!)),
      sinceStartPeriod(associationStart, today),
    ];

    // Everything a round reads is independent of the rest, so it is read at once (five connections of the
    // pool) instead of one query after another: the parts of clean interventions, the dirty ones' rows, the
    // purged bases of since start (README "Retention"), and the association's distinct persons and medians.
    const cleanIds = interventions.filter((i) => !dirtyYears.has(i.id)).map((i) => i.id);
    const ids = interventions.map((i) => i.id);
    const [stored, dirtyFacts, bases, overcount, medians] = await Promise.all([
      this.repository.storedParts(
        m,
        cleanIds,
        periods.map((p) => p.code),
      ),
      this.repository.interventionFacts(m, [...dirtyYears.keys()]),
      this.purged.sinceStartBases(m, ids),
      this.repository.personOvercount(m, associationId, ids, periods),
      this.repository.medianDaysEnrolled(m, ids, periods),
    ]);
    const parts = new Map(stored.map((s) => [`${s.interventionId}/${s.periodCode}`, s]));
    const usable = (i: InterventionInfo, p: Period) => {
      if (p.year !== null && p.year < yearOf(i.startsOn)) return true; // no enrolment starts before its intervention
      const part = parts.get(`${i.id}/${p.code}`);
      // A part stored before results carried cell keys is recomputed from its rows like a missing one.
      return part !== undefined && part.keys !== null && (p.year !== null || part.end === today);
    };
    // A clean intervention whose part is missing or out of date is computed from its rows instead.
    const unusable = cleanIds.filter((id) => periods.some((p) => !usable(byId.get(id)!, p)));
    const facts = [...dirtyFacts, ...(await this.repository.interventionFacts(m, unusable))];
    const factsOf = new Map<string, ScopedFact[]>([...dirtyYears.keys(), ...unusable].map((id) => [id, []]));
    for (const f of facts) factsOf.get(f.interventionId)!.push(f);
    const loadedAt = Date.now();

    // An insats' cells of a period are computed once: for its own result and as its part of the association's.
    const cells = new Map<string, { counts: PeriodCounts; keys: PeriodKeys }>();
    const cellsOf = (id: string, p: Period) => {
      const key = `${id}/${p.start}/${p.end}`;
      let found = cells.get(key);
      if (!found) {
        const own = factsOf.get(id)!;
        const relevant = p.year === null ? own : factsTouchingYear(own, p.year);
        found = { counts: computePeriodCounts(relevant, p), keys: computePeriodKeys(relevant, p) };
        cells.set(key, found);
      }
      return found;
    };
    const interventionRows: ResultRow[] = [];
    for (const [id, dirty] of dirtyYears) {
      const i = byId.get(id)!;
      for (const year of scopeYears(i.startsOn, today)) {
        if (!dirty.has(year)) continue;
        for (const p of periodsOfYearFrom(year, dirty.get(year)!)) {
          const { counts, keys } = cellsOf(id, p);
          interventionRows.push(resultRow('intervention', id, p, counts, keys));
        }
      }
      const p = sinceStartPeriod(i.startsOn, today);
      const { counts, keys } = cellsOf(id, p);
      const purgedDays = bases.get(id)?.exitDays ?? [];
      // After a purge the median is taken over the kept days of the purged exits and the rows' exits together.
      const withMedian =
        purgedDays.length > 0
          ? { ...counts, medianDaysEnrolled: median([...exitDays(factsOf.get(id)!, p), ...purgedDays]) }
          : counts;
      interventionRows.push(resultRow('intervention', id, p, withMedian, keys));
    }

    const computedAt = Date.now();
    const associationRows = periods.map((p) => {
      const counted: PeriodCounts[] = [];
      const keyed: PeriodKeys[] = [];
      for (const i of interventions) {
        if (factsOf.has(i.id)) {
          const { counts, keys } = cellsOf(i.id, p);
          counted.push(counts);
          keyed.push(keys);
          continue;
        }
        const part = parts.get(`${i.id}/${p.code}`);
        if (part) {
          const base = p.year === null ? bases.get(i.id) : undefined;
          // A stored since start includes its insats' purged base; the association's own base (which holds
          // it) is added where the association's result is written, so here the part is taken without it.
          counted.push(
            base ? subtractCounts(expandCounts(part.counts), base.counts) : expandCounts(part.counts),
          );
          keyed.push(base ? subtractPeriodKeys(expandKeys(part.keys!), base.keys) : expandKeys(part.keys!));
        }
      }
      const { counts, keys } = sumOfParts(counted, keyed, overcount.get(p.code), medians.get(p.code));
      return resultRow('association', associationId, p, counts, keys);
    });

    const summedAt = Date.now();
    await this.dataSource.transaction(async (tx) => {
      await this.repository.commitWithoutFlushWait(tx);
      await this.repository.lockAssociation(tx, associationId);
      const now = new Map(
        (await this.repository.dirtyMarksOfAssociation(tx, associationId, false)).map((k) => [
          markKey(k.interventionId, k.year),
          k.version,
        ]),
      );
      const live = marks.filter((k) => now.has(markKey(k.interventionId, k.year)));
      const liveKeys = new Set(live.map((k) => markKey(k.interventionId, k.year)));
      const liveIds = new Set(live.map((k) => k.interventionId));
      const liveYears = new Set(live.map((k) => k.year));
      const rows = [
        ...interventionRows.filter((r) =>
          r.year === null ? liveIds.has(r.scopeId) : liveKeys.has(markKey(r.scopeId, r.year)),
        ),
        ...associationRows.filter((r) => (r.year === null ? live.length > 0 : liveYears.has(r.year))),
      ];
      await this.repository.upsertResults(tx, rows);
      await this.repository.clearDirtyMarks(
        tx,
        marks.filter((k) => now.get(markKey(k.interventionId, k.year)) === k.version),
      );
      await this.repository.recordRun(tx, {
        kind: 'recompute',
        scopeId: associationId,
        year: years.length === 1 ? years[0] : null,
        startedAt,
        enrolments: facts.length,
        results: rows.length,
      });
    });
    // Where a round's time goes, for tuning (BENCH_WORKER_LOG_LEVEL=debug in the benchmarks).
    const t0 = startedAt.getTime();
    this.logger.debug(
      `recompute ${associationId}: ${marks.length} marks, ${facts.length} rows; load ${loadedAt - t0} ms, ` +
        `insatser ${computedAt - loadedAt} ms, association ${summedAt - computedAt} ms, write ${Date.now() - summedAt} ms`,
    );
  }

  /**
   * Every result of every association, from the raw rows: the nightly job and the admin's rebuild. An
   * association that cannot be built is logged and skipped; the others are rebuilt, and the run records
   * which failed (the status shows them).
   */
  async rebuildAll(): Promise<{
    associations: number;
    enrolments: number;
    results: number;
    failures: RebuildFailure[];
  }> {
    const totals = { associations: 0, enrolments: 0, results: 0 };
    const failures: RebuildFailure[] = [];
    const startedAt = new Date();
    for (const associationId of await this.repository.associationIds(this.dataSource.manager)) {
      try {
        const { enrolments, results } = await this.rebuildAssociation(associationId);
        totals.associations += 1;
        totals.enrolments += enrolments;
        totals.results += results;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        this.logger.error({ err: error, associationId }, 'Rebuild of an association failed; skipped');
        failures.push({ associationId, message });
      }
    }
    await this.repository.pruneRuns(this.dataSource.manager, RUN_LOG_DAYS, RECOMPUTE_LOG_DAYS);
    await this.repository.recordRun(this.dataSource.manager, {
      kind: 'rebuild',
      scopeId: null,
      year: null,
      startedAt,
      ...totals,
      failures,
    });
    this.logger.log(
      `Rebuilt ${totals.results} results from ${totals.enrolments} enrolments in ${Date.now() - startedAt.getTime()} ms` +
        (failures.length ? `; ${failures.length} association(s) failed` : ''),
    );
    return { ...totals, failures };
  }

  /**
   * Every result of one association from its raw rows, computed by PostgreSQL in one statement (see
   * period-results.sql.ts) and upserted in place: no row passes through Node.
   */
  async rebuildAssociation(associationId: string): Promise<{ enrolments: number; results: number }> {
    return this.dataSource.transaction(async (tx) => {
      // The lock is held while computing here: the rebuild writes every result, also those of keys
      // without a mark, so no recompute may write between its reading and its writing.
      await this.repository.commitWithoutFlushWait(tx);
      await this.repository.lockAssociation(tx, associationId);
      // Marks read before the rows: any mark made after this point survives and is recomputed later.
      const marks = await this.repository.dirtyMarksOfAssociation(tx, associationId, false);
      const t0 = Date.now();
      const results = await this.repository.rebuildResults(tx, [associationId], todayInStockholm());
      const enrolments = await this.repository.liveEnrolmentCount(tx, associationId);
      await this.repository.clearDirtyMarks(tx, marks);
      this.logger.debug(`association ${associationId}: ${results} results in ${Date.now() - t0} ms`);
      return { enrolments, results };
    });
  }
}
