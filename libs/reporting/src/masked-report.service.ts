import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { addCounts, computePeriodCounts, type DateRange, type PeriodCounts } from '@app/domain';
import { addPeriodKeys, computePeriodKeys, type PeriodKeys } from '@app/domain/disclosure-control-cell-key';
import { withShares, type ReportBody } from './report-body';
import {
  assembleMaskedReport,
  maskCounts,
  type MaskedReportBody,
  type PublishedCounts,
} from './report-masking';
import {
  DisclosureFactsRepository,
  type ResultRef,
  type ScopedKeyedFact,
} from './disclosure-facts.repository';

/** What a masked body counts, and which stored results it is a version of. */
export interface MaskTarget {
  /** Identifies the records counted, e.g. `intervention:<id>`; with the version, the cache key. */
  cacheId: string;
  /**
   * The insatser counted, in groups whose counts are added up: one group for an insats, an association or a
   * chosen set (persons distinct within it); one group per association for a region (persons added up).
   */
  groups: string[][];
  /** The stored results the body's exact figures come from; a recompute changes their version. */
  versionOf: ResultRef[];
}

/** How many masked bodies one process keeps (a body's counts are a few tens of kB at most). */
const CACHE_ENTRIES = 500;

/**
 * Disclosure-controlled report bodies for the board and publication exports, by the cell-key method. The
 * published counts are computed from the scope's facts with their record keys (counts and keys from one read,
 * so they always describe the same records) and cached per version of the stored results: repeated reads
 * cost one small version query. Every published value is a pure function of the records it counts, so two
 * processes, or a cache entry computed while a recompute was pending, can never publish two readings of one cell.
 */
@Injectable()
export class MaskedReportService {
  private readonly cache = new Map<string, PublishedCounts>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly facts: DisclosureFactsRepository,
  ) {}

  async mask(body: ReportBody, target: MaskTarget, k: number): Promise<MaskedReportBody> {
    const m = this.dataSource.manager;
    const previous = body.previousYear?.period ?? null;
    const version = await this.facts.resultVersion(m, target.versionOf);
    const cacheKey = [
      k,
      target.cacheId,
      `${body.period.start}..${body.period.end}`,
      previous ? `${previous.start}..${previous.end}` : '-',
      version,
    ].join('|');
    let published = this.cache.get(cacheKey);
    if (published === undefined) {
      published = await this.compute(target, body.period, previous, k);
      this.remember(cacheKey, published);
    } else {
      // Least recently used goes first: re-insert on a hit.
      this.cache.delete(cacheKey);
      this.cache.set(cacheKey, published);
    }
    // A copy: the cached counts must not change if a caller edits the body it gets.
    return assembleMaskedReport(body, structuredClone(published), k);
  }

  private remember(cacheKey: string, published: PublishedCounts): void {
    this.cache.set(cacheKey, published);
    while (this.cache.size > CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
  }

  private async compute(
    target: MaskTarget,
    period: DateRange,
    previous: DateRange | null,
    k: number,
  ): Promise<PublishedCounts> {
    const all = await this.facts.keyedFacts(this.dataSource.manager, target.groups.flat());
    const groups = target.groups.map((ids) => {
      const wanted = new Set(ids);
      return all.filter((f) => wanted.has(f.interventionId));
    });
    const current = tally(groups, period);
    const before = previous ? tally(groups, previous) : null;
    return {
      current: maskCounts(withShares(current.counts), current.keys, k),
      previousYear: before ? maskCounts(withShares(before.counts), before.keys, k) : null,
    };
  }
}

/** Counts and cell keys of a period over groups of facts: added up over groups, the median over all facts. */
function tally(groups: ScopedKeyedFact[][], period: DateRange): { counts: PeriodCounts; keys: PeriodKeys } {
  if (groups.length === 1)
    return { counts: computePeriodCounts(groups[0], period), keys: computePeriodKeys(groups[0], period) };
  return {
    counts: {
      ...addCounts(groups.map((g) => computePeriodCounts(g, period))),
      medianDaysEnrolled: computePeriodCounts(groups.flat(), period).medianDaysEnrolled,
    },
    keys: addPeriodKeys(groups.map((g) => computePeriodKeys(g, period))),
  };
}
