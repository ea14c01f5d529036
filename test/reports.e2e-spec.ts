import type { INestApplicationContext } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { RecomputeService } from '@app/aggregation/recompute.service';
import { possibleTrueValues } from '@app/domain/disclosure-control-cell-key';
import { bearer, Fixtures } from './helpers/fixtures';
import { createTestApp, type TestApp } from './helpers/test-app';
import { createTestWorker, eventually } from './helpers/worker';

/**
 * A fixture association of ten enrolments in two insatser, and the report tables of 2024 checked cell by
 * cell against numbers worked out by hand (comments show the working), then the XLSX and CSV exports
 * against the API's JSON, and disclosure control for the board.
 */
// Every exit reason and every referring party at zero, for rows that list all of them.
const NO_EXITS = {
  work: 0,
  studies: 0,
  employment_service_programme: 0,
  municipal_programme: 0,
  daily_activity: 0,
  other_intervention: 0,
  continued_rehabilitation: 0,
  sickness: 0,
  moved: 0,
  parental_leave: 0,
  withdrew: 0,
  other: 0,
};
const NO_NEW = {
  employment_service: 0,
  social_insurance: 0,
  social_services: 0,
  municipal_activity_responsibility: 0,
  school: 0,
  healthcare: 0,
  lss_daily_activity: 0,
  other_intervention: 0,
  self_referral: 0,
  other: 0,
};

describe('report tables, exports and disclosure control', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let f: Fixtures;
  let associationId: string;
  let a: string;
  let b: string;
  let evaluator: string;
  let board: string;

  const E = (code: string, x: Record<string, unknown>) => ({ participantCode: code, ...x });
  // Intervention A ("Unga A", from 2023-01-01)
  const A_ROWS = [
    E('A1', {
      startedOn: '2024-01-10',
      gender: 'woman',
      referringParty: 'social_services',
      ageBand: '19-20',
      educationLevel: 'compulsory',
      municipality: '0136',
      incomeSupportAtStart: ['social_assistance'],
      exit: { exitedOn: '2024-05-10', exitReason: 'work', incomeSupportAtExit: ['salary'] },
    }),
    E('A2', {
      startedOn: '2024-02-01',
      gender: 'man',
      referringParty: 'employment_service',
      ageBand: '21-24',
      educationLevel: 'upper_secondary',
      municipality: '0136',
      incomeSupportAtStart: ['social_assistance'],
      exit: { exitedOn: '2024-08-31', exitReason: 'studies', incomeSupportAtExit: ['social_assistance'] },
    }),
    E('A3', {
      startedOn: '2024-03-15',
      gender: 'man',
      referringParty: 'social_services',
      ageBand: '16-18',
      educationLevel: 'none_completed',
      municipality: '0136',
      incomeSupportAtStart: [],
    }),
    E('A4', {
      startedOn: '2023-11-01',
      gender: 'woman',
      referringParty: 'school',
      ageBand: '16-18',
      educationLevel: 'compulsory',
      municipality: '0136',
      incomeSupportAtStart: [],
      exit: { exitedOn: '2024-02-15', exitReason: 'moved' },
    }),
    E('A5', {
      startedOn: '2024-06-01',
      gender: 'man',
      referringParty: 'municipal_activity_responsibility',
      ageBand: '19-20',
      educationLevel: 'compulsory',
      municipality: '0138',
      incomeSupportAtStart: ['social_assistance'],
      exit: { exitedOn: '2024-12-20', exitReason: 'municipal_programme', incomeSupportAtExit: [] },
    }),
    E('A6', {
      startedOn: '2024-09-01',
      gender: 'unspecified',
      referringParty: 'self_referral',
      ageBand: '25-29',
      educationLevel: 'unspecified',
      municipality: '0136',
    }),
  ];
  // Intervention B ("Vuxen B", from 2023-06-01); B4 is the same person as A2.
  const B_ROWS = [
    E('B1', {
      startedOn: '2024-01-05',
      gender: 'woman',
      referringParty: 'social_insurance',
      ageBand: '40-49',
      educationLevel: 'post_secondary',
      municipality: '0138',
      incomeSupportAtStart: [],
      exit: { exitedOn: '2024-10-01', exitReason: 'work' },
    }),
    E('B2', {
      startedOn: '2024-04-01',
      gender: 'woman',
      referringParty: 'healthcare',
      ageBand: '30-39',
      educationLevel: 'upper_secondary',
      municipality: '0138',
      incomeSupportAtStart: ['social_assistance'],
      exit: { exitedOn: '2024-06-30', exitReason: 'sickness', incomeSupportAtExit: ['sickness_benefit'] },
    }),
    E('B3', {
      startedOn: '2023-09-01',
      gender: 'man',
      referringParty: 'employment_service',
      ageBand: '50-59',
      educationLevel: 'compulsory',
      municipality: '0136',
      incomeSupportAtStart: ['social_assistance'],
      exit: {
        exitedOn: '2024-03-31',
        exitReason: 'employment_service_programme',
        incomeSupportAtExit: ['social_assistance'],
      },
    }),
    E('A2', {
      startedOn: '2024-09-15',
      gender: 'man',
      referringParty: 'other_intervention',
      ageBand: '21-24',
      educationLevel: 'upper_secondary',
      municipality: '0136',
    }),
  ];

  beforeAll(async () => {
    t = await createTestApp();
    worker = await createTestWorker();
    f = await Fixtures.create(t);
    associationId = (await f.association({ name: 'Fixturförbundet' })).id;
    a = (
      await f.intervention(associationId, {
        name: 'Unga A',
        startsOn: '2023-01-01',
        municipalities: ['0136', '0138'],
      })
    ).id;
    b = (
      await f.intervention(associationId, {
        name: 'Vuxen B',
        startsOn: '2023-06-01',
        municipalities: ['0136', '0138'],
      })
    ).id;
    for (const [id, rows] of [
      [a, A_ROWS],
      [b, B_ROWS],
    ] as const) {
      for (const { exit, ...row } of rows as Record<string, unknown>[]) {
        const res = await t
          .http()
          .post(`/api/v1/interventions/${id}/enrolments`)
          .set(bearer(f.adminToken))
          .send(row)
          .expect(201);
        if (exit)
          await t
            .http()
            .post(`/api/v1/enrolments/${res.body.id}/exit`)
            .set(bearer(f.adminToken))
            .send(exit as object)
            .expect(200);
      }
    }
    await t
      .http()
      .put(`/api/v1/interventions/${a}/goals/2024`)
      .set(bearer(f.adminToken))
      .send({ participants: 12, newParticipants: 10, shareWorkOrStudies: 0.4 })
      .expect(200);
    evaluator = (await f.user('evaluator', { associationIds: [associationId] })).token;
    board = (await f.user('board', { associationIds: [associationId] })).token;
    await eventually(
      () => t.http().get(`/api/v1/reports/associations/${associationId}?period=2024`).set(bearer(evaluator)),
      (res) => res.status === 200 && res.body.fresh && res.body.active.total === 10,
    );
    // Record keys are random per installation; fixed here (from the participant codes) so that the published,
    // perturbed counts below are the same on every run. Done before any masked read is cached. A record's key
    // never changes in use, so the stored cell keys are rebuilt here, as the worker would have written them.
    // Only this association's records: other test files share the database and their stored keys must
    // keep matching their rows.
    await t.db.query(
      `UPDATE participant SET disclosure_key = ('x' || substr(md5('p' || code), 1, 12))::bit(48)::bigint
        WHERE association_id = $1`,
      [associationId],
    );
    await t.db.query(
      `UPDATE enrolment e SET disclosure_key = ('x' || substr(md5('e' || p.code), 1, 12))::bit(48)::bigint
         FROM participant p WHERE p.id = e.participant_id AND p.association_id = $1`,
      [associationId],
    );
    await worker.get(RecomputeService).rebuildAssociation(associationId);
  });
  afterAll(async () => {
    await worker.close();
    await t.close();
  });

  const tablesOf = async (path: string, query = '') =>
    (
      await t
        .http()
        .get(`/api/v1/reports/${path}/export?period=2024&format=json${query}`)
        .set(bearer(evaluator))
        .expect(200)
    ).body;
  const rowsOf = (body: { tables: { id: string; rows: Record<string, unknown>[] }[] }, id: string) =>
    body.tables.find((x) => x.id === id)!.rows;

  it('results in figures (association 2024)', async () => {
    const rows = rowsOf(await tablesOf(`associations/${associationId}`), 'results');
    // women: A1 A4 B1 B2 active; new A1 B1 B2; exited A1 A4 B1 B2; to work/studies A1 B1
    expect(rows[0]).toEqual({
      group: 'Kvinnor',
      active: 4,
      new: 3,
      exited: 4,
      exitedWorkOrStudies: 2,
      shareWorkOrStudies: 0.5,
    });
    // men: A2 A3 A5 B3 B4; new A2 A3 A5 B4; exited A2 A5 B3; to studies A2
    expect(rows[1]).toEqual({
      group: 'Män',
      active: 5,
      new: 4,
      exited: 3,
      exitedWorkOrStudies: 1,
      shareWorkOrStudies: 1 / 3,
    });
    expect(rows[2]).toEqual({
      group: 'Ej angett',
      active: 1,
      new: 1,
      exited: 0,
      exitedWorkOrStudies: 0,
      shareWorkOrStudies: null,
    });
    expect(rows[3]).toEqual({
      group: 'Totalt',
      active: 10,
      new: 8,
      exited: 7,
      exitedWorkOrStudies: 3,
      shareWorkOrStudies: 3 / 7,
    });
    // persons: A2 and B4 are one person
    expect(rows[4]).toEqual({
      group: 'Unika personer',
      active: 9,
      new: 7,
      exited: 7,
      exitedWorkOrStudies: null,
      shareWorkOrStudies: null,
    });
  });

  it('goals and outcome per insats', async () => {
    const rows = rowsOf(await tablesOf(`associations/${associationId}`), 'goals');
    expect(rows).toEqual([
      {
        intervention: 'Unga A',
        goalParticipants: 12,
        active: 6,
        goalNew: 10,
        new: 5,
        goalShareWorkOrStudies: 0.4,
        shareWorkOrStudies: 0.5,
        goalShareOrdinary: null,
        shareOrdinaryIntervention: 0.25,
      },
      {
        intervention: 'Vuxen B',
        goalParticipants: null,
        active: 4,
        goalNew: null,
        new: 3,
        goalShareWorkOrStudies: null,
        shareWorkOrStudies: 1 / 3,
        goalShareOrdinary: null,
        shareOrdinaryIntervention: 1 / 3,
      },
    ]);
  });

  it('new participants per referring party, per insats and in total', async () => {
    const rows = rowsOf(await tablesOf(`associations/${associationId}`), 'newByReferringParty');
    const zero = NO_NEW;
    expect(rows).toEqual([
      {
        intervention: 'Unga A',
        ...zero,
        social_services: 2,
        employment_service: 1,
        municipal_activity_responsibility: 1,
        self_referral: 1,
        total: 5,
      },
      {
        intervention: 'Vuxen B',
        ...zero,
        social_insurance: 1,
        healthcare: 1,
        other_intervention: 1,
        total: 3,
      },
      {
        intervention: 'Totalt',
        ...zero,
        social_services: 2,
        employment_service: 1,
        municipal_activity_responsibility: 1,
        self_referral: 1,
        social_insurance: 1,
        healthcare: 1,
        other_intervention: 1,
        total: 8,
      },
    ]);
  });

  it('exits by gender and reason, with the "Övrigt" column', async () => {
    const rows = rowsOf(await tablesOf(`associations/${associationId}`), 'exitsByGenderAndReason');
    const zero = NO_EXITS;
    expect(rows).toEqual([
      { group: 'Kvinnor', ...zero, work: 2, moved: 1, sickness: 1, ovrigt: 1, total: 4 },
      {
        group: 'Män',
        ...zero,
        studies: 1,
        municipal_programme: 1,
        employment_service_programme: 1,
        ovrigt: 0,
        total: 3,
      },
      { group: 'Ej angett', ...zero, ovrigt: 0, total: 0 },
      {
        group: 'Totalt',
        ...zero,
        work: 2,
        studies: 1,
        employment_service_programme: 1,
        municipal_programme: 1,
        sickness: 1,
        moved: 1,
        ovrigt: 1,
        total: 7,
      },
    ]);
  });

  it('exits by municipality and reason', async () => {
    const rows = rowsOf(await tablesOf(`associations/${associationId}`), 'exitsByMunicipalityAndReason');
    const zero = NO_EXITS;
    expect(rows).toEqual([
      // A1 work, A2 studies, A4 moved, B3 to AF
      {
        municipality: 'Haninge (0136)',
        ...zero,
        work: 1,
        studies: 1,
        moved: 1,
        employment_service_programme: 1,
        total: 4,
      },
      // A5 municipal programme, B1 work, B2 sickness
      { municipality: 'Tyresö (0138)', ...zero, municipal_programme: 1, work: 1, sickness: 1, total: 3 },
      {
        municipality: 'Totalt',
        ...zero,
        work: 2,
        studies: 1,
        moved: 1,
        employment_service_programme: 1,
        municipal_programme: 1,
        sickness: 1,
        total: 7,
      },
    ]);
  });

  it('age and education of new participants in percent per insats', async () => {
    const body = await tablesOf(`associations/${associationId}`);
    const age = rowsOf(body, 'newByAgeBand');
    // A new: A1 19-20, A2 21-24, A3 16-18, A5 19-20, A6 25-29
    expect(age[0]).toEqual({
      intervention: 'Unga A',
      '16-18': 0.2,
      '19-20': 0.4,
      '21-24': 0.2,
      '25-29': 0.2,
      '30-39': 0,
      '40-49': 0,
      '50-59': 0,
      '60-66': 0,
      unspecified: 0,
      new: 5,
    });
    // B new: B1 40-49, B2 30-39, B4 21-24
    expect(age[1]).toEqual({
      intervention: 'Vuxen B',
      '16-18': 0,
      '19-20': 0,
      '21-24': 1 / 3,
      '25-29': 0,
      '30-39': 1 / 3,
      '40-49': 1 / 3,
      '50-59': 0,
      '60-66': 0,
      unspecified: 0,
      new: 3,
    });
    const education = rowsOf(body, 'newByEducationLevel');
    // new: A1 compulsory, A2 upper sec., A3 none, A5 compulsory, A6 unspecified, B1 post-sec., B2 and B4 upper sec.
    expect(education[2]).toEqual({
      intervention: 'Totalt',
      none_completed: 1 / 8,
      compulsory: 2 / 8,
      upper_secondary: 3 / 8,
      post_secondary: 1 / 8,
      unspecified: 1 / 8,
      new: 8,
    });
  });

  it('social assistance at start and at exit among those exited', async () => {
    const rows = rowsOf(await tablesOf(`associations/${associationId}`), 'socialAssistance');
    expect(rows).toEqual([
      // exited A1 A2 A4 A5: at start A1 A2 A5, at exit A2
      { intervention: 'Unga A', exited: 4, atStart: 3, shareAtStart: 0.75, atExit: 1, shareAtExit: 0.25 },
      // exited B1 B2 B3: at start B2 B3, at exit B3
      { intervention: 'Vuxen B', exited: 3, atStart: 2, shareAtStart: 2 / 3, atExit: 1, shareAtExit: 1 / 3 },
      { intervention: 'Totalt', exited: 7, atStart: 5, shareAtStart: 5 / 7, atExit: 2, shareAtExit: 2 / 7 },
    ]);
  });

  it('comparison with the same period a year earlier', async () => {
    const rows = rowsOf(await tablesOf(`associations/${associationId}`), 'comparison');
    // 2023: A4 and B3 started and were still enrolled at the end of the year
    expect(rows.map((r) => [r.measure, r.thisPeriod, r.previousYear, r.change])).toEqual([
      ['Deltagare under perioden', 10, 2, 8],
      ['Nya deltagare', 8, 2, 6],
      ['Avslutade', 7, 0, 7],
      ['Andel till arbete eller studier', 3 / 7, null, null],
      ['Andel till ordinarie insats', 2 / 7, null, null],
    ]);
  });

  it('exports XLSX whose every cell equals the JSON tables, with a cover sheet, percent formats and frozen headers', async () => {
    const json = await tablesOf(`associations/${associationId}`);
    const res = await t
      .http()
      .get(`/api/v1/reports/associations/${associationId}/export?period=2024&format=xlsx`)
      .set(bearer(evaluator))
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toContain('uppfoljning-fixturforbundet-2024.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.body);
    const cover = book.getWorksheet('Om rapporten')!;
    expect(cover.getCell('B3').value).toBe('Fixturförbundet');
    expect(String(cover.getCell('B6').value)).toContain('Inte tillämpat');
    expect(book.worksheets).toHaveLength(1 + json.tables.length);
    for (const [index, table] of json.tables.entries()) {
      const sheet = book.worksheets[index + 1];
      expect(sheet.name.length).toBeLessThanOrEqual(31);
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(
        table.columns.map((c: { label: string }) => c.label),
      );
      table.rows.forEach((row: Record<string, unknown>, r: number) => {
        table.columns.forEach((c: { key: string; kind: string }, col: number) => {
          const cell = sheet.getRow(r + 2).getCell(col + 1);
          expect({ table: table.id, r, key: c.key, value: cell.value }).toEqual({
            table: table.id,
            r,
            key: c.key,
            value: row[c.key] ?? null,
          });
          if (c.kind === 'share' && typeof cell.value === 'number') expect(cell.numFmt).toBe('0.0%');
        });
      });
    }
  });

  it('exports CSV (UTF-8 BOM, ";", decimal comma) whose every cell equals the JSON tables', async () => {
    const json = await tablesOf(`associations/${associationId}`);
    const res = await t
      .http()
      .get(`/api/v1/reports/associations/${associationId}/export?period=2024&format=csv`)
      .set(bearer(evaluator))
      .buffer(true)
      .expect(200);
    const raw: string = res.text;
    expect(raw.charCodeAt(0)).toBe(0xfeff);
    const records: string[][] = parse(raw.slice(1), {
      delimiter: ';',
      relax_column_count: true,
      skip_empty_lines: false,
    });
    const expectCell = (text: string, value: unknown) => {
      if (value === null || value === undefined) expect(text).toBe('');
      else if (typeof value === 'number') expect(Number(text.replace(',', '.'))).toBeCloseTo(value, 6);
      else expect(text).toBe(value);
    };
    for (const table of json.tables) {
      const at = records.findIndex((line) => line[0] === table.title);
      expect(at).toBeGreaterThan(-1);
      expect(records[at + 1]).toEqual(table.columns.map((c: { label: string }) => c.label));
      table.rows.forEach((row: Record<string, unknown>, r: number) => {
        table.columns.forEach((c: { key: string }, col: number) =>
          expectCell(records[at + 2 + r][col], row[c.key]),
        );
      });
    }
    expect(raw).toContain('0,5'); // a share with a decimal comma
  });

  describe('disclosure control', () => {
    const COUNT_SECTIONS = [
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
    ];
    const smallCounts = (body: Record<string, unknown>, k: number): string[] => {
      const found: string[] = [];
      const walk = (v: unknown, path: string) => {
        if (typeof v === 'number' && v >= 1 && v <= k - 1) found.push(`${path}=${v}`);
        else if (v && typeof v === 'object')
          for (const [key, child] of Object.entries(v)) walk(child, `${path}.${key}`);
      };
      for (const s of COUNT_SECTIONS) walk(body[s], s);
      return found;
    };

    /** Every count of a body with its path, e.g. ["exitsByReason.work.woman", 2]. */
    const countsOf = (body: Record<string, unknown>): [string, unknown][] => {
      const found: [string, unknown][] = [];
      const walk = (v: unknown, path: string) => {
        if (v && typeof v === 'object')
          for (const [key, child] of Object.entries(v)) walk(child, path ? `${path}.${key}` : key);
        else found.push([path, v]);
      };
      for (const s of COUNT_SECTIONS) walk(body[s], s);
      // By path: a JSON object's keys have no order (a set sums its insatser's municipalities in their order).
      return found.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    };

    it('never gives a board member a count between 1 and k−1, and every published count is one the exact count can give', async () => {
      for (const path of [`associations/${associationId}`, `interventions/${a}`, `interventions/${b}`]) {
        for (const period of ['2024', '2024-Q1', '2024-H2', '2023']) {
          const get = (token: string) =>
            t.http().get(`/api/v1/reports/${path}?period=${period}`).set(bearer(token)).expect(200);
          const [res, exact] = await Promise.all([get(board), get(evaluator)]);
          expect(res.body.disclosureControl).toEqual({ threshold: 3 });
          expect(smallCounts(res.body, 3)).toEqual([]);
          if (res.body.previousYear) expect(smallCounts(res.body.previousYear, 3)).toEqual([]);
          const bodies: [Record<string, unknown>, Record<string, unknown>][] = [[res.body, exact.body]];
          if (res.body.previousYear) bodies.push([res.body.previousYear, exact.body.previousYear]);
          for (const [published, truth] of bodies) {
            const truths = new Map(countsOf(truth));
            for (const [cell, value] of countsOf(published)) {
              const x = truths.get(cell) as number;
              // zero stays zero, a small count is "<3", any other is within the p-table's reach of the truth
              if (x === 0) expect([cell, value]).toEqual([cell, 0]);
              else if (x < 3) expect([cell, value]).toEqual([cell, '<3']);
              else {
                const range = possibleTrueValues(value as number | string, 3);
                expect([cell, range.min <= x && x <= (range.max ?? Infinity)]).toEqual([cell, true]);
              }
            }
          }
        }
      }
    });

    it('shows the board perturbed counts that read the same in every report that contains them', async () => {
      const get = async (token: string, path: string) =>
        (await t.http().get(`/api/v1/reports/${path}`).set(bearer(token)).expect(200)).body;
      const exact = await get(evaluator, `associations/${associationId}?period=2024`);
      const masked = await get(board, `associations/${associationId}?period=2024`);
      expect(exact.active).toEqual({ woman: 4, man: 5, unspecified: 1, total: 10 });
      // With the keys fixed above: unspecified 1 is small; women and the total draw +1, men 0. The published
      // parts need not add up to the published total: that is what makes differences give noise.
      expect(masked.active).toEqual({ woman: 5, man: 5, unspecified: '<3', total: 11 });
      expect(masked.medianDaysEnrolled).toBe(exact.medianDaysEnrolled); // 7 exits, published ≥ k
      // The same records give the same reading: the association's 2024 is its 2025 report's previous year,
      // 2024-H1 is also the year to date after Q2, and the set of all its insatser is the association.
      const next = await get(board, `associations/${associationId}?period=2025`);
      const { period: _p, ...previousCounts } = next.previousYear;
      expect(previousCounts).toEqual(
        Object.fromEntries(Object.keys(previousCounts).map((key) => [key, masked[key]])),
      );
      const h1 = await get(board, `associations/${associationId}?period=2024-H1`);
      const ytd = await get(board, `associations/${associationId}?period=2024-YTD-Q2`);
      expect(countsOf(ytd)).toEqual(countsOf(h1));
      const set = await get(board, `associations/${associationId}?period=2024&interventions=${a},${b}`);
      expect(countsOf(set)).toEqual(countsOf(masked));
    });

    it('masks from the stored cell keys: a result without keys is not published until it is recomputed', async () => {
      const url = `/api/v1/reports/interventions/${a}?period=2024-Q3`;
      const [masked, exact] = await Promise.all([
        t.http().get(url).set(bearer(board)).expect(200),
        t.http().get(url).set(bearer(evaluator)).expect(200),
      ]);
      // A result as stored before results had keys (new version, keys unknown): the exact figures are still
      // there, but the board gets no counts at all rather than counts with keys read from elsewhere.
      await t.db.query(
        `UPDATE period_result SET keys = NULL, computed_at = computed_at + interval '1 microsecond'
          WHERE scope_type = 'intervention' AND scope_id = $1 AND period_code = '2024-Q3'`,
        [a],
      );
      await t.http().get(url).set(bearer(board)).expect(503);
      await t.http().get(url).set(bearer(evaluator)).expect(200);
      await worker.get(RecomputeService).rebuildAssociation(associationId);
      const again = await t.http().get(url).set(bearer(board)).expect(200);
      expect({ ...again.body, asOf: null }).toEqual({ ...masked.body, asOf: null });
      expect(exact.body.active.total).toBeGreaterThan(0);
    });

    it('applies the association threshold to publication exports on request', async () => {
      const body = await tablesOf(`associations/${associationId}`, '&publication=true');
      expect(body.disclosureThreshold).toBe(3);
      const results = rowsOf(body, 'results');
      expect(results[2]).toMatchObject({ group: 'Ej angett', active: '<3' });
      const xlsx = await t
        .http()
        .get(`/api/v1/reports/associations/${associationId}/export?period=2024&format=csv&publication=true`)
        .set(bearer(evaluator))
        .expect(200);
      expect(xlsx.headers['content-disposition']).toContain('publicering');
      expect(xlsx.text).toContain('Röjandeskydd: Tillämpat');
    });

    it('lets board members read reports but not exports, and keeps coordinators out', async () => {
      await t
        .http()
        .get(`/api/v1/reports/associations/${associationId}/export?period=2024&format=xlsx`)
        .set(bearer(board))
        .expect(403);
      const coordinator = await f.user('coordinator', { interventionIds: [a] });
      await t
        .http()
        .get(`/api/v1/reports/interventions/${a}?period=2024`)
        .set(bearer(coordinator.token))
        .expect(403);
    });
  });

  describe('a chosen set of interventions and the regional view', () => {
    let other: string;
    let regionalEvaluator: string;

    beforeAll(async () => {
      // A neighbour association: one woman who started and left for work in 2024, one man still enrolled.
      other = (await f.association({ name: 'Grannförbundet' })).id;
      const c = (
        await f.intervention(other, { name: 'Grann C', startsOn: '2024-01-01', municipalities: ['0192'] })
      ).id;
      const first = await t
        .http()
        .post(`/api/v1/interventions/${c}/enrolments`)
        .set(bearer(f.adminToken))
        .send({
          participantCode: 'A1',
          startedOn: '2024-02-01',
          gender: 'woman',
          referringParty: 'social_services',
          ageBand: '19-20',
          municipality: '0192',
        })
        .expect(201);
      await t
        .http()
        .post(`/api/v1/enrolments/${first.body.id}/exit`)
        .set(bearer(f.adminToken))
        .send({ exitedOn: '2024-03-01', exitReason: 'work' })
        .expect(200);
      await t
        .http()
        .post(`/api/v1/interventions/${c}/enrolments`)
        .set(bearer(f.adminToken))
        .send({
          participantCode: 'C2',
          startedOn: '2024-05-01',
          gender: 'man',
          referringParty: 'school',
          ageBand: '16-18',
          municipality: '0192',
        })
        .expect(201);
      regionalEvaluator = (await f.user('evaluator', { associationIds: [associationId, other] })).token;
      await eventually(
        () =>
          t.http().get(`/api/v1/reports/associations/${other}?period=2024`).set(bearer(regionalEvaluator)),
        (res) => res.status === 200 && res.body.fresh && res.body.active.total === 2,
      );
    });

    it("reports a chosen set of an association's interventions under its name", async () => {
      const res = await t
        .http()
        .get(
          `/api/v1/reports/associations/${associationId}?period=2024&interventions=${a}&name=Samverkansteamen för unga`,
        )
        .set(bearer(evaluator))
        .expect(200);
      expect(res.body.scope).toEqual({
        type: 'interventionSet',
        id: associationId,
        name: 'Samverkansteamen för unga',
        interventionIds: [a],
      });
      // the same numbers as insats A alone (worked out above)
      expect(res.body.active).toEqual({ woman: 2, man: 3, unspecified: 1, total: 6 });
      expect(res.body.exited.total).toBe(4);
      expect(res.body.medianDaysEnrolled).toBe(161.5); // 106, 121, 202, 212 days
      expect(res.body.goals[0]).toMatchObject({ metric: 'participants', target: 12, actual: 6 });
      // both insatser: the association's numbers, with A2 and B4 one person
      const both = await t
        .http()
        .get(`/api/v1/reports/associations/${associationId}?period=2024&interventions=${a},${b}`)
        .set(bearer(evaluator))
        .expect(200);
      expect(both.body.scope.name).toBe('Fixturförbundet: Unga A, Vuxen B');
      expect(both.body.active.total).toBe(10);
      expect(both.body.persons).toEqual({ active: 9, new: 7, exited: 7 });
    });

    it('rejects a set with an intervention of another association (400) or a malformed list', async () => {
      const list = await t
        .http()
        .get(`/api/v1/interventions?associationId=${other}`)
        .set(bearer(f.adminToken))
        .expect(200);
      const res = await t
        .http()
        .get(
          `/api/v1/reports/associations/${associationId}?period=2024&interventions=${a},${list.body[0].id}`,
        )
        .set(bearer(evaluator))
        .expect(400);
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'interventions' })]);
      await t
        .http()
        .get(`/api/v1/reports/associations/${associationId}?period=2024&interventions=nonsense`)
        .set(bearer(evaluator))
        .expect(400);
    });

    it('shows a county evaluator the associations side by side and summed, persons distinct within each', async () => {
      const res = await t
        .http()
        .get('/api/v1/reports/regional?period=2024')
        .set(bearer(regionalEvaluator))
        .expect(200);
      expect(res.body.scope.type).toBe('region');
      expect(res.body.associations.map((x: { scope: { name: string } }) => x.scope.name).sort()).toEqual([
        'Fixturförbundet',
        'Grannförbundet',
      ]);
      expect(res.body.active).toEqual({ woman: 5, man: 6, unspecified: 1, total: 12 });
      // code A1 in both associations is two persons: distinct only within an association
      expect(res.body.persons.active).toBe(11);
      expect(res.body.exitsByReason.work.total).toBe(3);
      // days: A 106, 121, 202, 212; B 270, 90, 212; C 29 → sorted 29 90 106 121 | 202 212 212 270 → (121 + 202) / 2
      expect(res.body.medianDaysEnrolled).toBe(161.5);
      const table = (
        await t
          .http()
          .get('/api/v1/reports/regional/export?period=2024&format=json')
          .set(bearer(regionalEvaluator))
          .expect(200)
      ).body.tables.find((x: { id: string }) => x.id === 'newByReferringParty');
      expect(
        table.rows.map((r: { intervention: string; total: number }) => [r.intervention, r.total]),
      ).toEqual(
        expect.arrayContaining([
          ['Fixturförbundet', 8],
          ['Grannförbundet', 2],
          ['Totalt', 10],
        ]),
      );
    });

    it("keeps the regional view to the caller's associations, and masks it for the board", async () => {
      await t
        .http()
        .get(`/api/v1/reports/regional?period=2024&associations=${other}`)
        .set(bearer(evaluator))
        .expect(403);
      const own = await t
        .http()
        .get('/api/v1/reports/regional?period=2024')
        .set(bearer(evaluator))
        .expect(200);
      expect(own.body.associations).toHaveLength(1);
      const masked = await t
        .http()
        .get('/api/v1/reports/regional?period=2024')
        .set(bearer(board))
        .expect(200);
      expect(masked.body.active.unspecified).toBe('<3');
      expect(masked.body.associations[0].disclosureControl).toEqual({ threshold: 3 });
    });
  });

  describe('exports made by the worker', () => {
    const request = (token: string, body: object) =>
      t.http().post('/api/v1/reports/exports').set(bearer(token)).send(body);

    it('queues an export, makes it in the worker, and lets only the requester download it', async () => {
      const queued = await request(evaluator, {
        target: { type: 'association', id: associationId },
        period: '2024',
        format: 'xlsx',
        publication: true,
      }).expect(202);
      expect(queued.body).toMatchObject({ status: 'queued', download: null });
      const done = await eventually(
        () => t.http().get(`/api/v1/reports/exports/${queued.body.id}`).set(bearer(evaluator)),
        (res) => res.body.status === 'done' || res.body.status === 'failed',
      );
      expect(done.body).toMatchObject({
        status: 'done',
        filename: 'uppfoljning-fixturforbundet-2024-publicering.xlsx',
        download: `/api/v1/reports/exports/${queued.body.id}/file`,
      });
      const file = await t
        .http()
        .get(done.body.download)
        .set(bearer(evaluator))
        .buffer(true)
        .parse((r, cb) => {
          const c: Buffer[] = [];
          r.on('data', (d: Buffer) => c.push(d));
          r.on('end', () => cb(null, Buffer.concat(c)));
        })
        .expect(200);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(file.body);
      expect(String(book.getWorksheet('Om rapporten')!.getCell('B6').value)).toContain('Tillämpat');
      // the same table as the synchronous JSON export with publication=true
      const results = book.worksheets[1];
      expect(results.getRow(4).getCell(2).value).toBe('<3'); // Ej angett, active 1
      // another evaluator of the same association cannot see someone else's export
      const colleague = (await f.user('evaluator', { associationIds: [associationId] })).token;
      await t.http().get(`/api/v1/reports/exports/${queued.body.id}`).set(bearer(colleague)).expect(404);
      await t.http().get(`/api/v1/reports/exports/${queued.body.id}/file`).set(bearer(colleague)).expect(404);
    });

    it('answers 400 for bad requests and 403 outside the scope, without queuing anything', async () => {
      const before = (await t.db.query('SELECT count(*)::int AS n FROM report_export'))[0].n;
      const a1 = await request(evaluator, {
        target: { type: 'association' },
        period: '2024',
        format: 'xlsx',
      }).expect(400);
      expect(a1.body.details).toEqual([expect.objectContaining({ field: 'target.id' })]);
      const a2 = await request(evaluator, {
        target: { type: 'county', id: associationId },
        period: '2024',
        format: 'xlsx',
      }).expect(400);
      expect(a2.body.details).toEqual([expect.objectContaining({ field: 'target.type' })]);
      const a3 = await request(evaluator, {
        target: { type: 'association', id: associationId },
        period: '2024-Q9',
        format: 'xlsx',
      }).expect(400);
      expect(a3.body.details).toEqual([expect.objectContaining({ field: 'period' })]);
      await request(evaluator, {
        target: { type: 'association', id: associationId },
        period: '2024',
        format: 'pdf',
      }).expect(400);
      const stranger = (await f.user('evaluator', { associationIds: [(await f.association()).id] })).token;
      await request(stranger, {
        target: { type: 'association', id: associationId },
        period: '2024',
        format: 'csv',
      }).expect(403);
      await request(board, {
        target: { type: 'association', id: associationId },
        period: '2024',
        format: 'csv',
      }).expect(403);
      expect((await t.db.query('SELECT count(*)::int AS n FROM report_export'))[0].n).toBe(before);
    });

    it('records a failure instead of a file when the period is before the start', async () => {
      const queued = await request(evaluator, {
        target: { type: 'association', id: associationId },
        period: '2020',
        format: 'csv',
      }).expect(202);
      const failed = await eventually(
        () => t.http().get(`/api/v1/reports/exports/${queued.body.id}`).set(bearer(evaluator)),
        (res) => res.body.status !== 'queued' && res.body.status !== 'running',
      );
      expect(failed.body).toMatchObject({
        status: 'failed',
        download: null,
        error: expect.stringContaining('2023-01-01'),
      });
      await t.http().get(`/api/v1/reports/exports/${queued.body.id}/file`).set(bearer(evaluator)).expect(409);
    });
  });

  it('answers 400 for an unknown format, a bad publication flag, an unknown period and a period before the start', async () => {
    const get = (q: string) =>
      t.http().get(`/api/v1/reports/associations/${associationId}/export?${q}`).set(bearer(evaluator));
    expect((await get('period=2024&format=pdf').expect(400)).body.details).toEqual([
      { field: 'format', message: 'must be one of: xlsx, csv, json' },
    ]);
    expect((await get('period=2024&format=csv&publication=yes').expect(400)).body.details).toEqual([
      { field: 'publication', message: 'must be true or false' },
    ]);
    expect((await get('period=2024-Q7&format=csv').expect(400)).body.details[0].field).toBe('period');
    expect((await get('period=2022&format=csv').expect(400)).body.details[0].message).toContain('2023-01-01');
  });
});
