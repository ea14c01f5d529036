import fc from 'fast-check';
import {
  DEFAULT_DISCLOSURE_THRESHOLD,
  determinedMasked,
  isRecoverable,
  maskShare,
  maskedLabel,
  suppress,
  type SumConstraint,
} from './disclosure-control';

const sorted = (keys: Iterable<string>): string[] => [...keys].sort();

// A 2×3 table: cells rIcJ, row totals r1/r2, column totals c1..c3, grand total g, written out by hand.
const TABLE_2X3: SumConstraint[] = [
  { total: 'r1', parts: ['r1c1', 'r1c2', 'r1c3'] },
  { total: 'r2', parts: ['r2c1', 'r2c2', 'r2c3'] },
  { total: 'c1', parts: ['r1c1', 'r2c1'] },
  { total: 'c2', parts: ['r1c2', 'r2c2'] },
  { total: 'c3', parts: ['r1c3', 'r2c3'] },
  { total: 'g', parts: ['r1', 'r2'] },
  { total: 'g', parts: ['c1', 'c2', 'c3'] },
];

describe('primary suppression', () => {
  it('masks 1 and 2 but not 0 or 3 with the default k = 3', () => {
    expect(DEFAULT_DISCLOSURE_THRESHOLD).toBe(3);
    const masked = suppress({ zero: 0, one: 1, two: 2, three: 3, big: 40 }, [], 3);
    expect(sorted(masked)).toEqual(['one', 'two']);
  });

  it('masks 1..4 with k = 5', () => {
    const masked = suppress({ a: 0, b: 1, c: 2, d: 3, e: 4, f: 5, g: 6 }, [], 5);
    expect(sorted(masked)).toEqual(['b', 'c', 'd', 'e']);
  });

  it('masks nothing with k = 1 (disclosure control switched off)', () => {
    expect(suppress({ a: 0, b: 1, c: 2 }, [], 1).size).toBe(0);
  });

  it('labels a masked count "<k"', () => {
    expect(maskedLabel(3)).toBe('<3');
    expect(maskedLabel(5)).toBe('<5');
  });
});

describe('secondary suppression', () => {
  it('masks the next-smallest cell in the row and column of a small cell (2×3 table with margins)', () => {
    // | 2 5 7 | 14        Primary: r1c1 = 2.
    // | 4 6 9 | 19        Row 1 → r1c2 (5, smaller than 7). Column 1 → r2c1 (4).
    //   6 11 16 | 33      Column 2 now has r1c2 alone → r2c2 (6). Row 2 then has two; all margins visible.
    // prettier-ignore
    const values = {
      r1c1: 2, r1c2: 5, r1c3: 7, r1: 14,
      r2c1: 4, r2c2: 6, r2c3: 9, r2: 19,
      c1: 6, c2: 11, c3: 16, g: 33,
    };
    const masked = suppress(values, TABLE_2X3, 3);
    expect(sorted(masked)).toEqual(['r1c1', 'r1c2', 'r2c1', 'r2c2']);
    expect(isRecoverable(values, TABLE_2X3, masked)).toEqual([]);
  });

  it('masks totals when the other cells are zero, cascading to the grand-total constraints', () => {
    // | 1 0 4 | 5         Primary: r1c1 = 1.
    // | 7 0 0 | 7         Pass 1: row 1 → r1c3 (4; the 0 is skipped). Column 1 → r2c1 (7).
    //   8 0 4 | 12        Column 3 = {c3, r1c3*, 0} → only zeros left → c3. g = c1+c2+c3 → c1 (8; c2 is 0).
    //                     Pass 2: row 2 = {r2, r2c1*, 0, 0} → r2. g = r1+r2 → r1. Pass 3: no change.
    // prettier-ignore
    const values = {
      r1c1: 1, r1c2: 0, r1c3: 4, r1: 5,
      r2c1: 7, r2c2: 0, r2c3: 0, r2: 7,
      c1: 8, c2: 0, c3: 4, g: 12,
    };
    const masked = suppress(values, TABLE_2X3, 3);
    expect(sorted(masked)).toEqual(['c1', 'c3', 'r1', 'r1c1', 'r1c3', 'r2', 'r2c1']);
    expect(isRecoverable(values, TABLE_2X3, masked)).toEqual([]);
  });

  it('masks the total of a row whose only other cells are zero', () => {
    // u = a + v with v = 2 masks a (7). Then t = a + b with b = 0: the only way to hide a is to hide t.
    const values = { t: 7, a: 7, b: 0, u: 9, v: 2 };
    const constraints = [
      { total: 't', parts: ['a', 'b'] },
      { total: 'u', parts: ['a', 'v'] },
    ];
    expect(sorted(suppress(values, constraints, 3))).toEqual(['a', 't', 'v']);
  });

  it('breaks ties by the order of the parts', () => {
    const values = { t: 11, a: 1, b: 5, c: 5 };
    expect(sorted(suppress(values, [{ total: 't', parts: ['a', 'b', 'c'] }], 3))).toEqual(['a', 'b']);
    expect(sorted(suppress(values, [{ total: 't', parts: ['a', 'c', 'b'] }], 3))).toEqual(['a', 'c']);
  });

  it('masks a part when the total is the only masked member', () => {
    // With consistent sums a total is never the first key masked alone, but a pre-masked one can be.
    const values = { t: 10, a: 0, b: 4, c: 6 };
    expect(sorted(suppress(values, [{ total: 't', parts: ['a', 'b', 'c'] }], 3, ['t']))).toEqual(['b', 't']);
  });

  it('keeps shared margins consistent across tables (exits by reason × gender and by municipality × gender)', () => {
    // Reason table            Municipality table      Shared: W, M, total.
    //     work studies |          0136 0138 |
    // W      7      0  | 7    W     4    3  | 7
    // M      1      6  | 7    M     3    4  | 7
    //        8      6  | 14         7    7  | 14
    // Pass 1: M row → rM.studies (6). work column → rW.work (7). studies column {6, 0, rM.studies*} → r.studies.
    //         total = r.work + r.studies → r.work.
    // Pass 2: W row {W, rW.work*, 0} → W. The municipality table has no small count, but the shared W is
    //         masked: its W row → mW.0138 (3), then column 0138 → mM.0138 (4). total = W + M → M.
    // Pass 3: no change. The municipality table ends with W, M and their 0138 cells masked.
    // prettier-ignore
    const values = {
      'rW.work': 7, 'rW.studies': 0, 'rM.work': 1, 'rM.studies': 6, 'r.work': 8, 'r.studies': 6,
      'mW.0136': 4, 'mW.0138': 3, 'mM.0136': 3, 'mM.0138': 4, 'm.0136': 7, 'm.0138': 7,
      W: 7, M: 7, total: 14,
    };
    const constraints: SumConstraint[] = [
      { total: 'W', parts: ['rW.work', 'rW.studies'] },
      { total: 'M', parts: ['rM.work', 'rM.studies'] },
      { total: 'r.work', parts: ['rW.work', 'rM.work'] },
      { total: 'r.studies', parts: ['rW.studies', 'rM.studies'] },
      { total: 'total', parts: ['r.work', 'r.studies'] },
      { total: 'W', parts: ['mW.0136', 'mW.0138'] },
      { total: 'M', parts: ['mM.0136', 'mM.0138'] },
      { total: 'm.0136', parts: ['mW.0136', 'mM.0136'] },
      { total: 'm.0138', parts: ['mW.0138', 'mM.0138'] },
      { total: 'total', parts: ['m.0136', 'm.0138'] },
      { total: 'total', parts: ['W', 'M'] },
    ];
    const masked = suppress(values, constraints, 3);
    expect(sorted(masked)).toEqual(
      sorted(['rM.work', 'rM.studies', 'rW.work', 'r.studies', 'r.work', 'W', 'M', 'mW.0138', 'mM.0138']),
    );
    expect(isRecoverable(values, constraints, masked)).toEqual([]);
  });

  it('never masks a zero, even when asked to', () => {
    expect(sorted(suppress({ t: 4, a: 0, b: 4 }, [{ total: 't', parts: ['a', 'b'] }], 3, ['a']))).toEqual([]);
  });
});

describe('suppression against combinations of constraints', () => {
  // | 11  0 12 12 |      k = 2. Single-constraint suppression alone masks the rectangles {x00, x02, x20, x22} and
  // |  0  6  0  4 |      {x11, x13, x31, x33} plus x32 = 1, which is never alone in a row or column, but
  // |  2  0 12 12 |      (col 0 + col 2) − (row 0 + row 2) over the masked cells leaves exactly x32.
  // | 10  7  1  6 |      Step 3 masks one more cell of row 3, the first constraint containing x32: x30 (10).
  const example = tableReport('t', [
    [11, 0, 12, 12],
    [0, 6, 0, 4],
    [2, 0, 12, 12],
    [10, 7, 1, 6],
  ]);
  const rectanglesAndLink = ['0.0', '0.2', '2.0', '2.2', '1.1', '1.3', '3.1', '3.3', '3.2'].map(
    (rc) => `t.cell.${rc}`,
  );

  it('finds the linking cell that single constraints miss', () => {
    const { values, constraints } = example;
    expect(isRecoverable(values, constraints, new Set(rectanglesAndLink))).toEqual([]);
    expect(determinedMasked(values, constraints, new Set(rectanglesAndLink))).toEqual(['t.cell.3.2']);
  });

  it('masks one more cell so that no masked cell is determined', () => {
    const { values, constraints } = example;
    const masked = suppress(values, constraints, 2);
    expect(sorted(masked)).toEqual(sorted([...rectanglesAndLink, 't.cell.3.0']));
    expect(determinedMasked(values, constraints, masked)).toEqual([]);
    expect(isRecoverable(values, constraints, masked)).toEqual([]);
  });
});

describe('determinedMasked', () => {
  it('finds a value only a combination of constraints determines, with a rational coefficient', () => {
    // u = a + b, v = a + c, w = b + c: every constraint has two masked members, yet a = (u + v − w) / 2.
    const values = { a: 2, b: 3, c: 4, u: 5, v: 6, w: 7 };
    const constraints = [
      { total: 'u', parts: ['a', 'b'] },
      { total: 'v', parts: ['a', 'c'] },
      { total: 'w', parts: ['b', 'c'] },
    ];
    const masked = new Set(['a', 'b', 'c']);
    expect(isRecoverable(values, constraints, masked)).toEqual([]);
    expect(determinedMasked(values, constraints, masked)).toEqual(['a', 'b', 'c']);
    // With w masked too, a + b and a + c are known but nothing is pinned down.
    expect(determinedMasked(values, constraints, new Set(['a', 'b', 'c', 'w']))).toEqual([]);
  });

  it('finds a difference of two constraints and leaves the undetermined keys out', () => {
    // u = a + b, v = a + b + c: v − u = c, while a and b stay free.
    const values = { a: 1, b: 2, c: 4, u: 3, v: 7 };
    const constraints = [
      { total: 'u', parts: ['a', 'b'] },
      { total: 'v', parts: ['a', 'b', 'c'] },
    ];
    expect(determinedMasked(values, constraints, new Set(['a', 'b', 'c']))).toEqual(['c']);
    expect(determinedMasked(values, constraints, new Set(['a', 'b', 'c', 'u']))).toEqual([]);
  });

  it('finds nothing in a 2×2 rectangle with visible margins', () => {
    // prettier-ignore
    const values = {
      r1c1: 2, r1c2: 5, r1c3: 7, r1: 14,
      r2c1: 4, r2c2: 6, r2c3: 9, r2: 19,
      c1: 6, c2: 11, c3: 16, g: 33,
    };
    expect(determinedMasked(values, TABLE_2X3, new Set(['r1c1', 'r1c2', 'r2c1', 'r2c2']))).toEqual([]);
    // One cell less: every remaining one is determined (two of them even by a single constraint).
    expect(determinedMasked(values, TABLE_2X3, new Set(['r1c1', 'r1c2', 'r2c1']))).toEqual([
      'r1c1',
      'r1c2',
      'r2c1',
    ]);
  });

  it('lists singly recoverable keys too, sorted, and ignores masked keys outside every constraint', () => {
    const values = { t: 10, a: 2, b: 8, lone: 1 };
    expect(determinedMasked(values, [{ total: 't', parts: ['a', 'b'] }], new Set(['lone', 'b']))).toEqual([
      'b',
    ]);
    expect(determinedMasked(values, [], new Set(['lone']))).toEqual([]);
  });

  it('rejects unknown keys', () => {
    expect(() => determinedMasked({ t: 1 }, [{ total: 't', parts: ['a'] }], new Set())).toThrow(/Unknown/);
  });
});

describe('input validation', () => {
  it('rejects a constraint that does not add up', () => {
    expect(() => suppress({ t: 5, a: 1, b: 3 }, [{ total: 't', parts: ['a', 'b'] }], 3)).toThrow(RangeError);
  });

  it('rejects unknown keys, including prototype names', () => {
    expect(() => suppress({ t: 1 }, [{ total: 't', parts: ['a'] }], 3)).toThrow(/Unknown/);
    expect(() => suppress({ t: 0 }, [{ total: 't', parts: ['constructor'] }], 3)).toThrow(/Unknown/);
    expect(() => suppress({ t: 0 }, [], 3, ['x'])).toThrow(/Unknown/);
  });

  it('rejects a repeated key in a constraint', () => {
    expect(() => suppress({ t: 0, a: 0 }, [{ total: 't', parts: ['t', 'a'] }], 3)).toThrow(/repeats/);
    expect(() => suppress({ t: 4, a: 2 }, [{ total: 't', parts: ['a', 'a'] }], 3)).toThrow(/repeats/);
  });

  it('rejects non-count values and bad thresholds', () => {
    expect(() => suppress({ a: -1 }, [], 3)).toThrow(RangeError);
    expect(() => suppress({ a: 1.5 }, [], 3)).toThrow(RangeError);
    expect(() => suppress({ a: 1 }, [], 0)).toThrow(RangeError);
    expect(() => suppress({ a: 1 }, [], 2.5)).toThrow(RangeError);
  });
});

describe('isRecoverable', () => {
  it('lists masked keys that are the only masked member of a constraint, once each', () => {
    const values = { t: 10, a: 2, b: 8, u: 12, c: 2 };
    const constraints = [
      { total: 't', parts: ['a', 'b'] },
      { total: 'u', parts: ['t', 'c'] },
      { total: 'u', parts: ['a', 'b', 'c'] },
    ];
    expect(isRecoverable(values, constraints, new Set(['a']))).toEqual(['a']);
    expect(isRecoverable(values, constraints, new Set(['a', 'c']))).toEqual(['a', 'c']);
    expect(isRecoverable(values, constraints, new Set(['a', 'b', 'c']))).toEqual(['c']);
    expect(isRecoverable(values, constraints, new Set())).toEqual([]);
  });
});

describe('maskShare', () => {
  const masked = new Set(['women.work']);

  it('hides a share whose denominator is below k (including 0)', () => {
    expect(maskShare(0.5, 2, ['men.work'], masked, 3)).toBeNull();
    expect(maskShare(null, 0, ['men.work'], masked, 3)).toBeNull();
    expect(maskShare(0.25, 4, ['men.work'], masked, 5)).toBeNull();
  });

  it('hides a share whose numerator is masked', () => {
    expect(maskShare(0.2, 10, ['women.work'], masked, 3)).toBeNull();
    expect(maskShare(0.2, 10, ['men.work', 'women.work'], masked, 3)).toBeNull();
  });

  it('returns the share unchanged otherwise', () => {
    expect(maskShare(0.4, 10, ['men.work'], masked, 3)).toBe(0.4);
    expect(maskShare(0, 3, ['men.work'], masked, 3)).toBe(0);
    expect(maskShare(null, 10, ['men.work'], masked, 3)).toBeNull();
  });
});

// ---------- Property tests ----------

interface Report {
  values: Record<string, number>;
  constraints: SumConstraint[];
  k: number;
}

/** A rows×cols table with row, column and grand totals. */
const tableArb: fc.Arbitrary<Report> = fc
  .record({
    rows: fc.integer({ min: 1, max: 5 }),
    cols: fc.integer({ min: 1, max: 5 }),
    k: fc.integer({ min: 2, max: 5 }),
  })
  .chain(({ rows, cols, k }) =>
    fc
      .array(fc.array(fc.integer({ min: 0, max: 12 }), { minLength: cols, maxLength: cols }), {
        minLength: rows,
        maxLength: rows,
      })
      .map((cells) => ({ ...tableReport('t', cells), k })),
  );

/** Keys of a table's margins: per-table by default, shared keys when several tables split the same groups. */
interface MarginKeys {
  row: (r: number) => string;
  grand: string;
}

function tableReport(
  prefix: string,
  cells: number[][],
  margins: MarginKeys = { row: (r) => `${prefix}.row.${r}`, grand: `${prefix}.grand` },
): Omit<Report, 'k'> {
  const values: Record<string, number> = {};
  const constraints: SumConstraint[] = [];
  const cell = (r: number, c: number) => `${prefix}.cell.${r}.${c}`;
  const rowKeys = cells.map((_, r) => margins.row(r));
  const colKeys = cells[0].map((_, c) => `${prefix}.col.${c}`);
  cells.forEach((row, r) => row.forEach((v, c) => (values[cell(r, c)] = v)));
  cells.forEach((row, r) => {
    values[rowKeys[r]] = row.reduce((a, b) => a + b, 0);
    constraints.push({ total: rowKeys[r], parts: row.map((_, c) => cell(r, c)) });
  });
  colKeys.forEach((key, c) => {
    values[key] = cells.reduce((a, row) => a + row[c], 0);
    constraints.push({ total: key, parts: cells.map((_, r) => cell(r, c)) });
  });
  values[margins.grand] = rowKeys.reduce((a, key) => a + values[key], 0);
  constraints.push({ total: margins.grand, parts: rowKeys });
  constraints.push({ total: margins.grand, parts: colKeys });
  return { values, constraints };
}

const MAX_GROUP_TOTAL = 5 * 12;

/**
 * Several tables split by the same groups (like genders) sharing the group totals and the grand total.
 * The first table's cells are drawn freely; every other table distributes each group total over its columns
 * by assigning each unit to a column, so the shared margins add up in every table.
 */
const multiTableArb: fc.Arbitrary<Report> = fc
  .record({
    groups: fc.integer({ min: 1, max: 3 }),
    extraTables: fc.integer({ min: 1, max: 2 }),
    k: fc.integer({ min: 2, max: 5 }),
  })
  .chain(({ groups, extraTables, k }) => {
    const colsArb = fc.integer({ min: 1, max: 4 });
    const firstArb = colsArb.chain((cols) =>
      fc.array(fc.array(fc.integer({ min: 0, max: 12 }), { minLength: cols, maxLength: cols }), {
        minLength: groups,
        maxLength: groups,
      }),
    );
    const unitsArb = (cols: number) =>
      fc
        .array(fc.array(fc.nat(cols - 1), { minLength: MAX_GROUP_TOTAL, maxLength: MAX_GROUP_TOTAL }), {
          minLength: groups,
          maxLength: groups,
        })
        .map((units) => ({ cols, units }));
    const othersArb = fc.array(colsArb.chain(unitsArb), { minLength: extraTables, maxLength: extraTables });
    return fc.tuple(firstArb, othersArb).map(([first, others]) => multiTableReport(first, others, k));
  });

function multiTableReport(
  first: number[][],
  others: { cols: number; units: number[][] }[],
  k: number,
): Report {
  const groupTotals = first.map((row) => row.reduce((a, b) => a + b, 0));
  const tables = [first, ...others.map(({ cols, units }) => distribute(groupTotals, cols, units))];
  const shared: MarginKeys = { row: (r) => `group.${r}`, grand: 'grand' };
  const values: Record<string, number> = {};
  const constraints: SumConstraint[] = [];
  tables.forEach((cells, t) => {
    const table = tableReport(`t${t}`, cells, shared);
    Object.assign(values, table.values); // shared margins get the same value from every table
    constraints.push(...table.constraints);
  });
  return { values, constraints, k };
}

/** Group r's total spread over the columns: unit i of the group goes to column units[r][i]. */
function distribute(groupTotals: number[], cols: number, units: number[][]): number[][] {
  return groupTotals.map((total, r) => {
    const row = new Array<number>(cols).fill(0);
    units[r].slice(0, total).forEach((c) => row[c]++);
    return row;
  });
}

// More runs than the default 100: cascades across shared margins are the rarer, interesting cases.
const RUNS = { numRuns: 300 };

const reportArbs: [string, fc.Arbitrary<Report>][] = [
  ['a random table with margins', tableArb],
  ['random tables sharing margins', multiTableArb],
];

describe.each(reportArbs)('suppress over %s', (_name, arb) => {
  it('leaves no visible value in 1..k-1', () => {
    fc.assert(
      fc.property(arb, ({ values, constraints, k }) => {
        const masked = suppress(values, constraints, k);
        for (const [key, v] of Object.entries(values))
          if (v >= 1 && v < k) expect(masked.has(key)).toBe(true);
      }),
      RUNS,
    );
  });

  it('never masks a zero', () => {
    fc.assert(
      fc.property(arb, ({ values, constraints, k }) => {
        for (const key of suppress(values, constraints, k)) expect(values[key]).not.toBe(0);
      }),
      RUNS,
    );
  });

  it('leaves no masked value recoverable from a single constraint', () => {
    fc.assert(
      fc.property(arb, ({ values, constraints, k }) => {
        expect(isRecoverable(values, constraints, suppress(values, constraints, k))).toEqual([]);
      }),
      RUNS,
    );
  });

  it('leaves no masked value determined by any combination of constraints', () => {
    fc.assert(
      fc.property(arb, ({ values, constraints, k }) => {
        expect(determinedMasked(values, constraints, suppress(values, constraints, k))).toEqual([]);
      }),
      RUNS,
    );
  });

  it('determinedMasked includes every singly recoverable key, for any masked set', () => {
    fc.assert(
      fc.property(arb, fc.double({ min: 0, max: 1, noNaN: true }), ({ values, constraints }, share) => {
        const keys = Object.keys(values).filter((key) => values[key] !== 0);
        const masked = new Set(keys.filter((_, i) => (i * 0.618) % 1 < share));
        const determined = determinedMasked(values, constraints, masked);
        for (const key of isRecoverable(values, constraints, masked)) expect(determined).toContain(key);
        for (const key of determined) expect(masked.has(key)).toBe(true);
      }),
      RUNS,
    );
  });

  it('determinedMasked finds nothing when every non-zero value is masked', () => {
    fc.assert(
      fc.property(arb, ({ values, constraints }) => {
        const masked = new Set(Object.keys(values).filter((key) => values[key] !== 0));
        expect(determinedMasked(values, constraints, masked)).toEqual([]);
      }),
      RUNS,
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(arb, ({ values, constraints, k }) => {
        const copy = structuredClone({ values, constraints });
        expect(sorted(suppress(copy.values, copy.constraints, k))).toEqual(
          sorted(suppress(values, constraints, k)),
        );
      }),
      RUNS,
    );
  });

  it('is idempotent (its own result, pre-masked, changes nothing)', () => {
    fc.assert(
      fc.property(arb, ({ values, constraints, k }) => {
        const once = suppress(values, constraints, k);
        expect(sorted(suppress(values, constraints, k, once))).toEqual(sorted(once));
      }),
      RUNS,
    );
  });

  it('keeps every margin in its constraints consistent (sanity check of the generator)', () => {
    fc.assert(
      fc.property(arb, ({ values, constraints }) => {
        for (const { total, parts } of constraints) {
          expect(parts.reduce((a, p) => a + values[p], 0)).toBe(values[total]);
        }
      }),
      RUNS,
    );
  });
});
