// Everything a board member can read, as one system for an attacker's solver: every cell of every report as a
// variable named by what it counts (scope, dates, cell), and every linear relation a reader can form between
// them. Shared by the unit simulation (libs/reporting/src/report-masking.spec.ts) and the HTTP differencing
// test (test/disclosure-differencing.e2e-spec.ts).
import type { SumConstraint } from '@app/domain/disclosure-control';
import type { Bounds } from '@app/domain/disclosure-control-audit';
import { countModel } from '@app/reporting/report-masking';
import type { ReportCounts } from '@app/reporting/report-body';

/** One report as read: the scope's insatser (and associations), its dates, the exact and the published body. */
export interface ReadReport {
  /** 'insatser' for an insats, an association or a chosen set; 'region' for the sum over associations. */
  kind: 'insatser' | 'region';
  interventionIds: string[];
  associationIds: string[];
  period: { start: string; end: string };
  exact: ReportCounts;
  /** The published body, or its counts already flattened by name (see `flatCounts`). */
  published: Record<string, unknown>;
  flat?: boolean;
}

export const COUNT_SECTIONS = [
  'active',
  'new',
  'exited',
  'exitsByReason',
  'newByReferringParty',
  'newByAgeBand',
  'newByEducationLevel',
  'newByMunicipality',
  'exitsByMunicipalityAndReason',
  'socialAssistance',
  'persons',
] as const;

/** Sections that add up over disjoint periods (counts of events in the period, per enrolment). */
const ADDITIVE_IN_TIME = new Set([
  'new',
  'exited',
  'exitsByReason',
  'newByReferringParty',
  'newByAgeBand',
  'newByEducationLevel',
  'newByMunicipality',
  'exitsByMunicipalityAndReason',
  'socialAssistance',
]);

/** Every count of a body by its dotted name ("exitsByReason.work.woman"), as countModel names them. */
export function flatCounts(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const walk = (v: unknown, path: string) => {
    if (v && typeof v === 'object')
      for (const [key, child] of Object.entries(v)) walk(child, `${path}.${key}`);
    else out[path] = v;
  };
  for (const s of COUNT_SECTIONS) walk(body[s], s);
  return out;
}

const scopeIdOf = (r: Pick<ReadReport, 'kind' | 'interventionIds' | 'associationIds'>) =>
  r.kind === 'region' && r.associationIds.length > 1
    ? `R:${[...r.associationIds].sort().join('+')}`
    : `I:${[...r.interventionIds].sort().join('+')}`;

const dayAfter = (date: string) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

export interface Lattice {
  /** Exact value of each variable. */
  exact: Record<string, number>;
  /** The published value of each variable (the first report's; see `inconsistent`). */
  published: Record<string, unknown>;
  constraints: SumConstraint[];
  /** Variables published differently in two reports that count the same records. */
  inconsistent: string[];
  /** The prefix of a report's variables: `variable = prefix + cell`. */
  prefixOf: (r: Pick<ReadReport, 'kind' | 'interventionIds' | 'associationIds' | 'period'>) => string;
}

/**
 * Builds the system. A variable is `scope|start..end|cell`, with the end cut at `today` (no record is dated
 * later), so reports over the same records and dates share variables whatever their period code.
 */
export function buildLattice(reports: readonly ReadReport[], today: string): Lattice {
  const exact: Record<string, number> = {};
  const published: Record<string, unknown> = {};
  const inconsistent = new Set<string>();
  const constraints: SumConstraint[] = [];
  const seenConstraint = new Set<string>();
  const addConstraint = (c: SumConstraint) => {
    const id = `${c.total}=${[...c.parts].sort().join('+')}`;
    if (seenConstraint.has(id)) return;
    seenConstraint.add(id);
    constraints.push(c);
  };
  const clip = (end: string) => (end > today ? today : end);
  const prefixOf = (r: Pick<ReadReport, 'kind' | 'interventionIds' | 'associationIds' | 'period'>) =>
    `${scopeIdOf(r)}|${r.period.start}..${clip(r.period.end)}|`;

  const cellsByPrefix = new Map<string, Set<string>>();
  const scopes = new Map<string, Pick<ReadReport, 'kind' | 'interventionIds' | 'associationIds'>>();
  const ranges = new Map<string, Set<string>>(); // scope id → "start..end"
  for (const r of reports) {
    const prefix = prefixOf(r);
    const scopeId = scopeIdOf(r);
    scopes.set(scopeId, r);
    (ranges.get(scopeId) ?? ranges.set(scopeId, new Set()).get(scopeId)!).add(
      `${r.period.start}..${clip(r.period.end)}`,
    );
    const model = countModel(r.exact);
    const shown = r.flat ? r.published : flatCounts(r.published);
    const names = cellsByPrefix.get(prefix) ?? cellsByPrefix.set(prefix, new Set()).get(prefix)!;
    for (const [cell, value] of Object.entries(model.values)) {
      const v = prefix + cell;
      names.add(cell);
      if (v in published && published[v] !== shown[cell]) inconsistent.add(v);
      if (!(v in published)) published[v] = shown[cell];
      exact[v] = value;
    }
    for (const c of model.constraints)
      addConstraint({ total: prefix + c.total, parts: c.parts.map((p) => prefix + p) });
  }

  // A cell a report leaves out (a municipality with nobody in it) is a known 0.
  const variable = (prefix: string, cell: string): string => {
    const v = prefix + cell;
    if (!(v in exact)) {
      exact[v] = 0;
      published[v] = 0;
    }
    return v;
  };
  const cellsOf = (prefix: string) => cellsByPrefix.get(prefix) ?? new Set<string>();

  // Scope relations: a scope is the sum of two collected scopes that split its insatser (persons excepted: one
  // person can be in two insatser) or, for a region, its associations (persons too: they are added up).
  const scopeList = [...scopes.entries()];
  const insatserOf = new Map<string, Set<string>>(); // association → every insats seen in it
  for (const r of reports)
    if (r.associationIds.length === 1)
      for (const i of r.interventionIds)
        (
          insatserOf.get(r.associationIds[0]) ??
          insatserOf.set(r.associationIds[0], new Set()).get(r.associationIds[0])!
        ).add(i);
  const wholeAssociations = (x: Pick<ReadReport, 'interventionIds' | 'associationIds'>) =>
    x.associationIds.reduce((n, a) => n + (insatserOf.get(a)?.size ?? 0), 0) === x.interventionIds.length;
  const scopeByInsatser = new Map(scopeList.map(([id, x]) => [[...x.interventionIds].sort().join('+'), id]));
  for (const [id, s] of scopeList) {
    const atoms = new Set(s.interventionIds);
    for (const [id1, s1] of scopeList) {
      if (id1 === id || s1.interventionIds.some((i) => !atoms.has(i))) continue;
      const rest = s.interventionIds.filter((i) => !s1.interventionIds.includes(i));
      // a region's parts are its associations (I:…); a region of several associations is only ever a total
      const id2 = scopeByInsatser.get([...rest].sort().join('+'));
      if (id2 === undefined || id2 === id) continue;
      const personsAdd =
        id.startsWith('R:') && [scopes.get(id1)!, scopes.get(id2)!].every((p) => wholeAssociations(p));
      for (const range of ranges.get(id) ?? []) {
        const at = (scope: string) => `${scope}|${range}|`;
        if (!cellsByPrefix.has(at(id1)) || !cellsByPrefix.has(at(id2))) continue;
        const cells = new Set([...cellsOf(at(id)), ...cellsOf(at(id1)), ...cellsOf(at(id2))]);
        for (const cell of cells) {
          if (cell.startsWith('persons.') && !personsAdd) continue;
          addConstraint({
            total: variable(at(id), cell),
            parts: [variable(at(id1), cell), variable(at(id2), cell)],
          });
        }
      }
    }
  }

  // Time relations: a range is the sum of two collected ranges that split it, for counts of events.
  for (const [id, scopeRanges] of ranges) {
    const list = [...scopeRanges].map((x) => {
      const [start, end] = x.split('..');
      return { start, end, key: x };
    });
    for (const p of list)
      for (const p1 of list) {
        if (p1.start !== p.start || p1.end >= p.end) continue;
        const p2 = list.find((q) => q.start === dayAfter(p1.end) && q.end === p.end);
        if (!p2) continue;
        const at = (x: { key: string }) => `${id}|${x.key}|`;
        const cells = new Set([...cellsOf(at(p)), ...cellsOf(at(p1)), ...cellsOf(at(p2))]);
        for (const cell of cells) {
          if (!ADDITIVE_IN_TIME.has(cell.split('.')[0])) continue;
          addConstraint({
            total: variable(at(p), cell),
            parts: [variable(at(p1), cell), variable(at(p2), cell)],
          });
        }
      }
  }

  return {
    exact,
    published,
    constraints,
    inconsistent: [...inconsistent].sort(),
    prefixOf,
  };
}

/** The possible true values of every variable, given a reading of published values (`readRange`). */
export function boundsOf(
  lattice: Pick<Lattice, 'published'>,
  readRange: (published: unknown) => Bounds,
): Record<string, Bounds> {
  return Object.fromEntries(Object.entries(lattice.published).map(([v, p]) => [v, readRange(p)]));
}

/** What the per-report suppression used before the cell-key method let a reader conclude from a cell. */
export function legacyRange(k: number) {
  return (published: unknown): Bounds => {
    if (typeof published === 'number') return { min: published, max: published };
    if (published === `<${k}`) return { min: 1, max: k - 1 };
    if (published === '..') return { min: k, max: null };
    throw new RangeError(`Not a legacy published value: ${String(published)}`);
  };
}
