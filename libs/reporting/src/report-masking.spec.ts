import fc from 'fast-check';
import {
  AGE_BANDS,
  EXIT_REASONS,
  GENDERS,
  REFERRING_PARTIES,
  addCounts,
  computePeriodCounts,
  periodsOfYear,
  type DateRange,
  type PeriodCounts,
} from '@app/domain';
import { suppress, type SumConstraint } from '@app/domain/disclosure-control';
import { isPossibleTruth, pinnedCells } from '@app/domain/disclosure-control-audit';
import {
  CELL_KEY_MODULUS,
  addPeriodKeys,
  computePeriodKeys,
  possibleTrueValues,
  type KeyedFact,
} from '@app/domain/disclosure-control-cell-key';
import {
  boundsOf,
  buildLattice,
  flatCounts,
  legacyRange,
  type ReadReport,
} from '../../../test/helpers/disclosure-lattice';
import { withShares } from './report-body';
import { countModel, maskCounts, maskReport, WITHHELD } from './report-masking';

// A board member's whole view, simulated without a database: two associations (three and two insatser), every
// scope they can ask for (each insats, each association, every chosen set, the region) and every period of two
// years, published by the cell-key method; then an attacker's solver over all of it.

const K = 3;
const TODAY = '2025-03-31';
const ASSOCIATIONS = { A: ['a1', 'a2', 'a3'], B: ['b1', 'b2'] } as const;

interface Fact extends KeyedFact {
  interventionId: string;
}

const dateArb = (from: number, to: number) =>
  fc.integer({ min: from, max: to }).map((d) => new Date(d * 86_400_000).toISOString().slice(0, 10));
const DAY_2023 = Date.UTC(2023, 0, 1) / 86_400_000;
const DAY_END_2024 = Date.UTC(2024, 11, 31) / 86_400_000;

const factArb: fc.Arbitrary<Fact> = fc
  .record({
    interventionId: fc.constantFrom('a1', 'a2', 'a3', 'b1', 'b2'),
    startedOn: dateArb(DAY_2023, DAY_END_2024),
    days: fc.option(fc.integer({ min: 0, max: 500 }), { nil: null }),
    gender: fc.constantFrom(...GENDERS),
    referringParty: fc.constantFrom(...REFERRING_PARTIES.slice(0, 3)),
    ageBand: fc.constantFrom(...AGE_BANDS.slice(0, 3)),
    municipality: fc.constantFrom('0136', '0138'),
    exitReason: fc.constantFrom(...EXIT_REASONS.slice(0, 4)),
    sas: fc.boolean(),
    sax: fc.boolean(),
    enrolmentKey: fc.integer({ min: 0, max: CELL_KEY_MODULUS - 1 }),
    participantKey: fc.integer({ min: 0, max: CELL_KEY_MODULUS - 1 }),
  })
  .map((r) => {
    const exitedOn =
      r.days === null
        ? null
        : new Date(Date.parse(`${r.startedOn}T00:00:00Z`) + r.days * 86_400_000).toISOString().slice(0, 10);
    const exited = exitedOn !== null && exitedOn <= TODAY;
    return {
      interventionId: r.interventionId,
      participantId: `p-${r.enrolmentKey}`,
      startedOn: r.startedOn,
      exitedOn: exited ? exitedOn : null,
      gender: r.gender,
      referringParty: r.referringParty,
      ageBand: r.ageBand,
      educationLevel: 'unspecified' as const,
      municipality: r.municipality,
      exitReason: exited ? r.exitReason : null,
      socialAssistanceAtStart: r.sas,
      socialAssistanceAtExit: exited && r.sax,
      enrolmentKey: r.enrolmentKey,
      participantKey: r.participantKey,
    };
  });

interface Scope {
  kind: 'insatser' | 'region';
  /** Groups of insatser counted separately and added up (one per association in a region). */
  groups: string[][];
  associationIds: string[];
}

/** Every scope a board member of both associations can read. */
function scopes(): Scope[] {
  const out: Scope[] = [];
  for (const [association, ids] of Object.entries(ASSOCIATIONS)) {
    // every non-empty subset: single insatser, chosen sets, and the whole association
    for (let mask = 1; mask < 1 << ids.length; mask++) {
      const chosen = ids.filter((_, i) => mask & (1 << i));
      out.push({ kind: 'insatser', groups: [chosen], associationIds: [association] });
    }
  }
  out.push({
    kind: 'region',
    groups: [[...ASSOCIATIONS.A], [...ASSOCIATIONS.B]],
    associationIds: ['A', 'B'],
  });
  return out;
}

function periods(): DateRange[] {
  return [2023, 2024, 2025]
    .flatMap((y) => periodsOfYear(y))
    .filter((p) => p.start <= TODAY)
    .map((p) => ({ start: p.start, end: p.end > TODAY ? TODAY : p.end }));
}

function tally(facts: Fact[], scope: Scope, period: DateRange) {
  const groups = scope.groups.map((ids) => facts.filter((f) => ids.includes(f.interventionId)));
  const counts: PeriodCounts =
    groups.length === 1
      ? computePeriodCounts(groups[0], period)
      : addCounts(groups.map((g) => computePeriodCounts(g, period)));
  const keys =
    groups.length === 1
      ? computePeriodKeys(groups[0], period)
      : addPeriodKeys(groups.map((g) => computePeriodKeys(g, period)));
  return { counts: withShares(counts), keys };
}

/** Per-report suppression as it was before the cell-key method (the baseline the solver must break). */
function legacyPublished(counts: ReturnType<typeof withShares>): Record<string, unknown> {
  const { values, constraints } = countModel(counts);
  const masked = suppress(values, constraints, K);
  return Object.fromEntries(
    Object.entries(values).map(([name, v]) => [name, !masked.has(name) ? v : v < K ? `<${K}` : WITHHELD]),
  );
}

function readAll(facts: Fact[], method: 'cell-key' | 'legacy'): ReadReport[] {
  const reports: ReadReport[] = [];
  for (const scope of scopes())
    for (const period of periods()) {
      const { counts, keys } = tally(facts, scope, period);
      reports.push({
        kind: scope.kind,
        interventionIds: scope.groups.flat(),
        associationIds: scope.associationIds,
        period,
        exact: counts,
        published: method === 'cell-key' ? maskCounts(counts, keys, K) : legacyPublished(counts),
        flat: method === 'legacy',
      });
    }
  return reports;
}

const smallVariables = (exact: Record<string, number>) =>
  Object.keys(exact).filter((v) => exact[v] >= 1 && exact[v] < K);

describe('cell-key masking of report bodies', () => {
  it('publishes zero as 0, a small count as "<k", and shares and goals from published counts only', () => {
    const facts: Fact[] = [];
    const base = {
      participantId: 'p',
      startedOn: '2024-02-01',
      exitedOn: '2024-03-01',
      gender: 'woman' as const,
      referringParty: 'school' as const,
      ageBand: '16-18' as const,
      educationLevel: 'unspecified' as const,
      municipality: '0136',
      exitReason: 'work' as const,
      socialAssistanceAtStart: false,
      socialAssistanceAtExit: false,
    };
    for (let i = 0; i < 12; i++)
      facts.push({
        ...base,
        interventionId: 'a1',
        participantId: `p${i}`,
        gender: i < 10 ? 'woman' : 'man',
        exitReason: i < 7 ? 'work' : 'sickness',
        enrolmentKey: (i * 7919 * 104729) % CELL_KEY_MODULUS,
        participantKey: (i * 15485863) % CELL_KEY_MODULUS,
      });
    const period = { start: '2024-01-01', end: '2024-12-31' };
    const counts = withShares(computePeriodCounts(facts, period));
    const keys = computePeriodKeys(facts, period);
    const body = maskReport(
      {
        ...counts,
        scope: { type: 'intervention', id: 'a1', name: 'A1' },
        period: { code: '2024', ...period },
        asOf: null,
        fresh: true,
        goals: [
          { metric: 'participants', target: 20, fullYearTarget: 20, actual: 12, attainment: 0.6 },
          {
            metric: 'share_work_or_studies',
            target: 0.5,
            fullYearTarget: 0.5,
            actual: 7 / 12,
            attainment: 1.1667,
          },
        ],
        previousYear: null,
      },
      { current: keys, previousYear: null },
      K,
    );
    expect(body.active.unspecified).toBe(0);
    expect(body.active.man).toBe('<3'); // 2 men
    expect(body.exitsByReason.sickness.man).toBe('<3');
    expect(body.disclosureControl).toEqual({ threshold: 3 });
    const total = body.active.total as number;
    expect(possibleTrueValues(total, K).min).toBeLessThanOrEqual(12);
    // shares and goal figures follow from the published counts, never from the exact ones
    const exited = body.exited.total as number;
    const work = body.exitsByReason.work.total as number;
    expect(body.shareWorkOrStudies.total).toBe(Math.min(1, work / exited));
    expect(body.shareWorkOrStudies.man).toBeNull(); // "<3" exits
    expect(body.goals[0]).toMatchObject({
      actual: total,
      attainment: Math.round((total / 20) * 10_000) / 10_000,
    });
    expect(body.goals[1].actual).toBe(body.shareWorkOrStudies.total);
  });

  it('defeats differencing over every scope and period a board member can read, where per-report suppression did not', () => {
    let legacyPins = 0;
    fc.assert(
      fc.property(fc.array(factArb, { minLength: 25, maxLength: 70 }), (facts) => {
        const lattice = buildLattice(readAll(facts, 'cell-key'), TODAY);
        // the same records read the same wherever they appear
        expect(lattice.inconsistent).toEqual([]);
        const small = smallVariables(lattice.exact);
        const bounds = boundsOf(lattice, (p) => possibleTrueValues(p as number | string, K));
        const pinned = new Set(pinnedCells(bounds, lattice.constraints));
        expect(small.filter((v) => pinned.has(v))).toEqual([]);

        // The same solver over the same data as per-report suppression published it pins small counts.
        const legacy = buildLattice(readAll(facts, 'legacy'), TODAY);
        const legacyPinned = new Set(pinnedCells(boundsOf(legacy, legacyRange(K)), legacy.constraints));
        legacyPins += smallVariables(legacy.exact).filter((v) => legacyPinned.has(v)).length;
      }),
      { numRuns: 2, seed: 20261130 },
    );
    expect(legacyPins).toBeGreaterThan(0);
  });

  it('has, for every small count, another possible truth: the data with one more participant just like one counted', () => {
    fc.assert(
      fc.property(fc.array(factArb, { minLength: 25, maxLength: 60 }), (facts) => {
        const reports = readAll(facts, 'cell-key');
        const lattice = buildLattice(reports, TODAY);
        const bounds = boundsOf(lattice, (p) => possibleTrueValues(p as number | string, K));
        // The truth itself is possible; a witness then only needs checking where it differs from the truth.
        expect(isPossibleTruth(lattice.exact, bounds, lattice.constraints)).toEqual({ possible: true });
        const constraintsOf = new Map<string, SumConstraint[]>();
        for (const c of lattice.constraints)
          for (const v of [c.total, ...c.parts]) constraintsOf.set(v, [...(constraintsOf.get(v) ?? []), c]);
        const byPrefix = new Map(reports.map((r) => [lattice.prefixOf(r), r]));
        const single = new Map<string, Record<string, unknown>>();
        const countsOfOne = (f: Fact, i: number, period: DateRange) => {
          const key = `${i}|${period.start}|${period.end}`;
          let one = single.get(key);
          if (!one) single.set(key, (one = flatCounts(withShares(computePeriodCounts([f], period)))));
          return one;
        };
        // The twin of record i (a new person with the same enrolment) raises every cell that counts record i by
        // one; checked once per record, then every small count needs one record that it counts.
        const twinIsPossible = facts.map((f, i) => {
          const witness = new Map<string, number>();
          for (const other of reports) {
            if (!other.interventionIds.includes(f.interventionId)) continue;
            const p = lattice.prefixOf(other);
            for (const [name, n] of Object.entries(countsOfOne(f, i, other.period)))
              if (typeof n === 'number' && n > 0) witness.set(p + name, lattice.exact[p + name] + n);
          }
          const value = (x: string) => witness.get(x) ?? lattice.exact[x];
          for (const [x, n] of witness) {
            const b = bounds[x];
            if (n < b.min || (b.max !== null && n > b.max)) return false;
            for (const c of constraintsOf.get(x) ?? [])
              if (c.parts.reduce((acc, part) => acc + value(part), 0) !== value(c.total)) return false;
          }
          return true;
        });
        const undeniable = smallVariables(lattice.exact).filter((v) => {
          const prefix = v.slice(0, v.lastIndexOf('|') + 1);
          const report = byPrefix.get(prefix)!;
          const cell = v.slice(prefix.length);
          return !facts.some(
            (f, i) =>
              twinIsPossible[i] &&
              report.interventionIds.includes(f.interventionId) &&
              countsOfOne(f, i, report.period)[cell] === 1,
          );
        });
        expect(undeniable).toEqual([]);
      }),
      { numRuns: 2, seed: 7 },
    );
  });
});
