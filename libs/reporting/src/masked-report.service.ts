import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  addCounts,
  emptyPeriodCounts,
  expandCounts,
  parsePeriod,
  SINCE_START_CODE,
  type Period,
  type PeriodCounts,
} from '@app/domain';
import {
  addPeriodKeys,
  emptyPeriodKeys,
  expandKeys,
  type PeriodKeys,
} from '@app/domain/disclosure-control-cell-key';
import { withShares, type ReportBody } from './report-body';
import {
  assembleMaskedReport,
  maskCounts,
  type MaskedReportBody,
  type PublishedCounts,
} from './report-masking';
import {
  DisclosureFactsRepository,
  versionOf,
  type KeyedResult,
  type ResultRef,
} from './disclosure-facts.repository';
import { SetFiguresService } from './set-figures.service';

/** A stored scope whose results (counts with their cell keys) a masked body is made of. */
export interface StoredScope {
  scopeType: ResultRef['scopeType'];
  scopeId: string;
}

/** What a masked body counts, and which stored results it is a version of. */
export interface MaskTarget {
  /** Identifies the records counted, e.g. `intervention:<id>`; with the version, the cache key. */
  cacheId: string;
  /**
   * Where the counts and their cell keys come from: the stored results of one scope (an insats or an
   * association), or of several added up (a region: the sum of its associations, persons added up); or, for a
   * chosen set of an association's insatser (no stored result counts its distinct persons), the set's figures
   * as its exact body has them (SetFiguresService: its rows, or what retention kept of them).
   */
  source: { stored: StoredScope[] } | { set: { associationId: string; interventionIds: string[] } };
  /** The stored results the body's exact figures come from; a recompute changes their version. */
  versionOf: ResultRef[];
  /**
   * The versions of `versionOf` as read with the body's figures (those found; the rest are missing), when the
   * caller has them: then no version query is needed, and the cache entry is the one of the figures in the body.
   */
  versions?: (ResultRef & { version: string })[];
}

/** How many masked bodies one process keeps (a body's counts are a few tens of kB at most). */
const CACHE_ENTRIES = 500;

interface CountsAndKeys {
  counts: PeriodCounts;
  keys: PeriodKeys;
}

/**
 * Disclosure-controlled report bodies for the board and publication exports, by the cell-key method. The
 * published counts are computed from stored results: their counts and the cell keys the aggregation stored
 * beside them in the same write (one read, so they always describe the same records). So a masked report
 * never reads enrolment rows, and stays the same after retention has deleted the rows of old periods (their
 * results, keys included, are kept). Bodies are cached per version of the stored results: repeated reads cost
 * one small version query. Every published value is a pure function of the records it counts, so two
 * processes, or a cache entry computed while a recompute was pending, can never publish two readings of one cell.
 */
@Injectable()
export class MaskedReportService {
  private readonly cache = new Map<string, PublishedCounts>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly facts: DisclosureFactsRepository,
    private readonly sets: SetFiguresService,
  ) {}

  async mask(body: ReportBody, target: MaskTarget, k: number): Promise<MaskedReportBody> {
    return (await this.maskMany([{ body, target, k }]))[0];
  }

  /**
   * Several bodies at once (a dashboard, an export's sheets): one version query for all of them whose versions
   * were not read with their figures, and one read of stored results and cell keys for all that are not cached,
   * instead of two queries per body.
   */
  async maskMany(items: readonly MaskItem[]): Promise<MaskedReportBody[]> {
    if (items.length === 0) return [];
    const m = this.dataSource.manager;
    const versions = [
      ...(await this.facts.resultVersions(
        m,
        items.flatMap((x) => (x.target.versions ? [] : x.target.versionOf)),
      )),
      ...items.flatMap((x) => x.target.versions ?? []),
    ];
    const versionOfItem = items.map((item) => versionOf(item.target.versionOf, versions));
    const published: (PublishedCounts | undefined)[] = items.map((item, i) => {
      const wanted = cacheKey(item, versionOfItem[i]);
      const hit = this.cache.get(wanted);
      if (hit !== undefined) {
        // Least recently used goes first: re-insert on a hit.
        this.cache.delete(wanted);
        this.cache.set(wanted, hit);
      }
      return hit;
    });
    const missing = items.flatMap((item, i) => (published[i] === undefined ? [i] : []));
    const stored = missing.filter((i) => 'stored' in items[i].target.source);
    const results = await this.facts.keyedResults(
      m,
      stored.flatMap((i) => storedRefs(items[i])),
    );
    for (const i of missing) {
      const item = items[i];
      const computed =
        'stored' in item.target.source
          ? this.fromStoredResults(item, results)
          : await this.fromSet(item, versionOfItem[i]);
      published[i] = computed.published;
      // Filed under the version it was computed from: a recompute since the version query files a new entry.
      this.remember(cacheKey(item, computed.version), computed.published);
    }
    // The cached counts are frozen (remember), so bodies share them without a copy and no caller can edit them.
    return items.map((item, i) => assembleMaskedReport(item.body, published[i]!, item.k));
  }

  private remember(cacheKey: string, published: PublishedCounts): void {
    this.cache.set(cacheKey, deepFreeze(published));
    while (this.cache.size > CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
  }

  private fromStoredResults(
    item: MaskItem,
    results: readonly KeyedResult[],
  ): { published: PublishedCounts; version: string } {
    const { body, target, k } = item;
    const scopes = (target.source as { stored: StoredScope[] }).stored;
    const previous = body.previousYear?.period ?? null;
    const current = fromStored(results, scopes, body.period.code, body.medianDaysEnrolled);
    const before =
      previous && body.previousYear
        ? fromStored(results, scopes, previous.code, body.previousYear.medianDaysEnrolled)
        : null;
    return { published: publish(current, before, k), version: versionOf(target.versionOf, results) };
  }

  /**
   * A chosen set: its figures as its exact body has them (SetFiguresService: summed from up-to-date stored results,
   * its rows, or what retention kept of them), filed under the version read before them (a recompute in between
   * files a newer version, never stale figures).
   */
  private async fromSet(
    item: MaskItem,
    version: string,
  ): Promise<{ published: PublishedCounts; version: string }> {
    const { body, target, k } = item;
    const m = this.dataSource.manager;
    const previous = body.previousYear?.period ?? null;
    // Its keys come with its counts (persons distinct in the set).
    const { associationId, interventionIds } = (
      target.source as { set: { associationId: string; interventionIds: string[] } }
    ).set;
    const periods = [periodOf(body.period), ...(previous ? [periodOf(previous)] : [])];
    const figures = await this.sets.figures(m, associationId, interventionIds, periods);
    const keyed = figures.map((f): CountsAndKeys => {
      if (f.keys === null) throw recomputing();
      return { counts: f.counts, keys: f.keys };
    });
    return { published: publish(keyed[0], keyed[1] ?? null, k), version };
  }
}

/** One body to mask: what it counts and the association's k. */
export interface MaskItem {
  body: ReportBody;
  target: MaskTarget;
  k: number;
}

function cacheKey({ body, target, k }: MaskItem, version: string): string {
  const previous = body.previousYear?.period ?? null;
  return [
    k,
    target.cacheId,
    `${body.period.start}..${body.period.end}`,
    previous ? `${previous.start}..${previous.end}` : '-',
    version,
  ].join('|');
}

/** The stored results a body with stored sources is masked from: each scope in the period and the year before. */
function storedRefs({ body, target }: MaskItem): ResultRef[] {
  const scopes = (target.source as { stored: StoredScope[] }).stored;
  const codes = [body.period.code, ...(body.previousYear ? [body.previousYear.period.code] : [])];
  return scopes.flatMap((s) => codes.map((periodCode) => ({ ...s, periodCode })));
}

function publish(current: CountsAndKeys, before: CountsAndKeys | null, k: number): PublishedCounts {
  return {
    current: maskCounts(withShares(current.counts), current.keys, k),
    previousYear: before ? maskCounts(withShares(before.counts), before.keys, k) : null,
  };
}

/** A body's period as a Period (since start: the body's own range). */
function periodOf(p: { code: string; start: string; end: string }): Period {
  return p.code === SINCE_START_CODE
    ? { code: p.code, kind: 'since_start', start: p.start, end: p.end, year: null }
    : parsePeriod(p.code);
}

const recomputing = () =>
  new ServiceUnavailableException(
    'This report is being recomputed for disclosure control; try again in a few minutes',
  );

/**
 * Counts and cell keys of a period from the stored results of some scopes, added up cell by cell (a region's
 * persons are added up over its associations, as its exact body counts them). A missing result counts
 * nothing, as in the exact body. A sum's median is not a stored figure: it is the body's own.
 */
function fromStored(
  results: readonly KeyedResult[],
  scopes: readonly StoredScope[],
  periodCode: string,
  bodyMedian: number | null,
): CountsAndKeys {
  const parts = scopes.map((s) =>
    results.find(
      (r) => r.scopeType === s.scopeType && r.scopeId === s.scopeId && r.periodCode === periodCode,
    ),
  );
  const counts: PeriodCounts[] = [];
  const keys: PeriodKeys[] = [];
  for (const part of parts) {
    if (!part) {
      counts.push(emptyPeriodCounts());
      keys.push(emptyPeriodKeys());
      continue;
    }
    if (part.keys === null) throw recomputing();
    counts.push(expandCounts(part.counts));
    keys.push(expandKeys(part.keys));
  }
  if (counts.length === 1) return { counts: counts[0], keys: keys[0] };
  return { counts: { ...addCounts(counts), medianDaysEnrolled: bodyMedian }, keys: addPeriodKeys(keys) };
}

/** Freezes an object and everything it holds: what is cached is shared by every body made from it. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
