// The web pages in a real browser (Debian's Chromium through playwright-core): each role's flows, with the
// mouse and with the keyboard alone, axe-core on every page reachable from each start page, screenshots.
import ExcelJS from 'exceljs';
import type { INestApplicationContext } from '@nestjs/common';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ADMIN, bearer, Fixtures, PASSWORD, unique } from '../helpers/fixtures';
import { freePort } from '../helpers/processes';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { createTestWorker, eventually } from '../helpers/worker';
import { rmSync } from 'node:fs';
import {
  SCREENSHOTS,
  launchChromium,
  newContext,
  pageLinks,
  screenshot,
  seriousViolations,
  signIn,
  signOut,
  tabTo,
} from './browser-helpers';

const YEAR = new Date().getFullYear();
const DAY = `${YEAR}-02-01`;

describe('web pages in Chromium', () => {
  let t: TestApp;
  let worker: INestApplicationContext;
  let browser: Browser;
  let base: string;
  let f: Fixtures;
  let association: { id: string; name: string };
  let insatsA: { id: string; name: string };
  let insatsB: { id: string; name: string };
  const users: Record<'coordinator' | 'evaluator' | 'board', { email: string; id: string }> = {} as never;

  beforeAll(async () => {
    rmSync(SCREENSHOTS, { recursive: true, force: true });
    t = await createTestApp();
    const port = await freePort();
    await t.app.listen(port, '127.0.0.1');
    base = `http://127.0.0.1:${port}`;
    worker = await createTestWorker();
    browser = await launchChromium();
    f = await Fixtures.create(t);
    association = await f.association({ disclosureThreshold: 3 });
    const named = async (name: string) => ({ id: (await f.intervention(association.id, { name })).id, name });
    insatsA = await named(unique('Unga till arbete'));
    insatsB = await named(unique('Vuxenteamet'));
    for (const i of [insatsA, insatsB]) {
      const goals = await t
        .http()
        .put(`/api/v1/interventions/${i.id}/goals/${YEAR}`)
        .set(bearer(f.adminToken))
        .send({
          participants: 100,
          newParticipants: 60,
          shareWorkOrStudies: 0.4,
          shareOrdinaryIntervention: 0.2,
        });
      expect(goals.status).toBe(200);
    }
    const coordinator = await f.user('coordinator', { interventionIds: [insatsA.id, insatsB.id] });
    users.coordinator = coordinator;
    users.evaluator = await f.user('evaluator', { associationIds: [association.id] });
    users.board = await f.user('board', { associationIds: [association.id] });
    // Insats A: five women and one man (a count the board must never see); insats B: four and four.
    const enrol = (id: string, gender: string) => f.enrol(coordinator.token, id, { gender, startedOn: DAY });
    for (let n = 0; n < 5; n++) await enrol(insatsA.id, 'woman');
    const man = await enrol(insatsA.id, 'man');
    for (let n = 0; n < 4; n++) await enrol(insatsB.id, 'woman');
    for (let n = 0; n < 4; n++) await enrol(insatsB.id, 'man');
    await t
      .http()
      .post(`/api/v1/enrolments/${man.id}/exit`)
      .set(bearer(coordinator.token))
      .send({ exitedOn: `${YEAR}-03-01`, exitReason: 'work' });
    await eventually(
      () => t.http().get('/api/v1/aggregation/status').set(bearer(f.adminToken)),
      (res) => res.body.pending === 0,
      60_000,
    );
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await worker?.close();
    await t?.close();
  });

  async function session(
    email: string,
    password = PASSWORD,
  ): Promise<{ context: BrowserContext; page: Page }> {
    const context = await newContext(browser, base);
    const page = await context.newPage();
    await signIn(page, email, password);
    return { context, page };
  }

  async function keyboardSignIn(page: Page, email: string): Promise<void> {
    await tabTo(page, '#field-email');
    await page.keyboard.type(email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(PASSWORD);
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    expect(await page.locator('h1').textContent()).not.toBe('Logga in');
  }

  /** The insats' figure of the year, as the page shows it (row "Totalt" of the figures table). */
  async function yearFigure(page: Page, column: number): Promise<string> {
    return (await page.locator('#figures tbody tr').last().locator('td').nth(column).textContent()) ?? '';
  }

  it('coordinator: registers, gets an error with values kept, corrects it, exits, and sees the figures change', async () => {
    const { context, page } = await session(users.coordinator.email);
    expect(await page.locator('h1').textContent()).toBe('Mina insatser');
    await page.locator(`a[href="/insatser/${insatsA.id}"]`).first().click();
    await eventually(
      async () => {
        await page.reload();
        return page.locator('[data-fresh]').first().getAttribute('data-fresh');
      },
      (fresh) => fresh === 'true',
    );
    const activeBefore = Number(await yearFigure(page, 0));
    const exitedBefore = Number(await yearFigure(page, 2));
    await page.getByRole('link', { name: 'Registrera ny inskrivning' }).click();

    await page.getByLabel('Deltagarkod').fill('850412-1234');
    await page.getByLabel('Startdatum').fill(DAY);
    await page.getByLabel('Skolan').check();
    await page.getByLabel('Man', { exact: true }).check();
    await page.getByLabel('Ålder i år').fill('23');
    await page.getByLabel('Gymnasium').check();
    await page.getByLabel('Försörjningsstöd/ekonomiskt bistånd').check();
    await page.getByRole('button', { name: 'Spara inskrivningen' }).click();

    await expect(page.title()).resolves.toMatch(/^Fel: Ny inskrivning/);
    const summary = page.locator('.error-summary');
    expect(await summary.textContent()).toContain('ser ut som ett personnummer');
    expect(await page.evaluate(() => document.activeElement?.classList.contains('error-summary'))).toBe(true);
    expect(await page.locator('#field-participantCode-error').textContent()).toContain('personnummer');
    // Every value entered is kept.
    expect(await page.getByLabel('Deltagarkod').inputValue()).toBe('850412-1234');
    expect(await page.getByLabel('Startdatum').inputValue()).toBe(DAY);
    expect(await page.getByLabel('Skolan').isChecked()).toBe(true);
    expect(await page.getByLabel('Man', { exact: true }).isChecked()).toBe(true);
    expect(await page.getByLabel('Ålder i år').inputValue()).toBe('23');
    expect(await page.getByLabel('Gymnasium').isChecked()).toBe(true);
    expect(await page.getByLabel('Försörjningsstöd/ekonomiskt bistånd').isChecked()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'coordinator-enrolment-error');
    // The summary links to the field.
    await summary.getByRole('link').first().click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('field-participantCode');

    const code = unique('UNG');
    await page.getByLabel('Deltagarkod').fill(code);
    await page.getByRole('button', { name: 'Spara inskrivningen' }).click();
    expect(await page.locator('.notice-success').textContent()).toContain(
      `Inskrivningen av ${code} är sparad.`,
    );
    await screenshot(page, 'coordinator-participants-after-save');
    await eventually(
      async () => {
        await page.reload();
        return {
          fresh: await page.locator('#figures-title + .freshness').getAttribute('data-fresh'),
          active: Number(await yearFigure(page, 0)),
        };
      },
      (v) => v.fresh === 'true' && v.active === activeBefore + 1,
    );

    await page.getByLabel('Sök på deltagarkod').fill(code);
    await page.getByLabel('Visa').selectOption('all');
    await page.getByRole('button', { name: 'Sök' }).click();
    await page.getByRole('link', { name: code }).click();
    await page.getByRole('link', { name: 'Registrera avslut' }).click();
    await page.getByLabel('Slutdatum').fill(`${YEAR}-01-01`);
    await page.getByLabel('Arbete', { exact: true }).check();
    await page.getByRole('button', { name: 'Spara avslutet' }).click();
    expect(await page.locator('.field-error').first().textContent()).toContain('före startdatum');
    expect(await page.getByLabel('Arbete', { exact: true }).isChecked()).toBe(true);
    await page.getByLabel('Slutdatum').fill(`${YEAR}-03-15`);
    await page.getByRole('button', { name: 'Spara avslutet' }).click();
    expect(await page.locator('.notice-success').textContent()).toContain(`Avslutet för ${code} är sparat.`);
    await eventually(
      async () => {
        await page.reload();
        return Number(await yearFigure(page, 2));
      },
      (exited) => exited === exitedBefore + 1,
    );
    await screenshot(page, 'coordinator-enrolment-after-exit');

    // A form posted without its CSRF token is refused, and nothing is written.
    const forged = await page.request.post(`/insatser/${insatsA.id}/inskrivning`, {
      form: {
        participantCode: 'FORGED-1',
        startedOn: DAY,
        referringParty: 'school',
        gender: 'man',
        age: '30',
        municipality: '0136',
      },
      maxRedirects: 0,
    });
    expect(forged.status()).toBe(403);
    const forgedRows = await t.db.query(`SELECT 1 FROM participant WHERE code = 'FORGED-1'`);
    expect(forgedRows).toHaveLength(0);

    // After logout a page redirects to the login form.
    await signOut(page);
    await page.goto(`/insatser/${insatsA.id}`);
    expect(new URL(page.url()).pathname).toBe('/');
    expect(await page.locator('h1').textContent()).toBe('Logga in');
    await context.close();
  });

  it('evaluator: opens a quarter, switches period and scope, and downloads an XLSX that opens', async () => {
    const { context, page } = await session(users.evaluator.email);
    await page.getByRole('link', { name: 'Rapporter: hela förbundet' }).first().click();
    await page.getByLabel('Period', { exact: true }).selectOption(`${YEAR}-Q1`);
    await page.getByRole('button', { name: 'Visa rapporten' }).click();
    expect(new URL(page.url()).searchParams.get('period')).toBe(`${YEAR}-Q1`);
    expect(await page.locator('h1').textContent()).toContain(`Kvartal 1 ${YEAR}`);
    expect(await page.locator('caption', { hasText: 'Resultat i siffror' }).count()).toBe(1);
    expect(await page.locator('.freshness').textContent()).toMatch(/uppdaterad \d\d:\d\d|räknas om/);

    await page.getByLabel('Period', { exact: true }).selectOption(`${YEAR}-H1`);
    await page.getByLabel('En insats').check();
    await page.getByLabel('Insats', { exact: true }).selectOption(insatsA.id);
    await page.getByRole('button', { name: 'Visa rapporten' }).click();
    const url = new URL(page.url());
    expect(url.searchParams.get('typ')).toBe('insats');
    expect(url.searchParams.get('insats')).toBe(insatsA.id);
    expect(url.searchParams.get('period')).toBe(`${YEAR}-H1`);
    // The women of insats A (five) appear exactly, for the evaluator.
    const women = page.locator('#table-results tbody tr').first().locator('td').nth(1);
    expect((await women.textContent())?.trim()).toBe('5');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Excel (XLSX)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile((await download.path())!);
    expect(book.worksheets.map((w) => w.name)).toEqual(
      expect.arrayContaining(['Om rapporten', 'Resultat i siffror']),
    );
    expect(book.getWorksheet('Resultat i siffror')!.getRow(2).getCell(2).value).toBe(5);
    await context.close();
  });

  it('board: sees the dashboard without any count from 1 to k−1, and gets 403 on participant pages and exports', async () => {
    const { context, page } = await session(users.board.email);
    expect(await page.locator('h1').textContent()).toContain('Styrelsens översikt');
    expect(await page.locator('#disclosure-title + p').textContent()).toContain(
      'aldrig antal mellan 1 och 2',
    );
    expect(await page.locator('.stand-out li').count()).toBeGreaterThan(0);
    const shown = await page.$$eval('[data-count]', (cells) =>
      cells.map((c) => c.getAttribute('data-count') ?? ''),
    );
    expect(shown.length).toBeGreaterThan(10);
    expect(shown).toContain('<3');
    const chartLabels = await page.$$eval('svg text', (texts) => texts.map((x) => x.textContent ?? ''));
    for (const value of [...shown, ...chartLabels.map((l) => l.split(' ').pop() ?? '')]) {
      expect(['1', '2']).not.toContain(value.trim());
    }
    const bodyText = (await page.locator('main').textContent()) ?? '';
    expect(bodyText).not.toMatch(/(^|[^\d<,.\-–])[12]\s*(deltagare|personer)/);
    await screenshot(page, 'board-dashboard');
    await page.emulateMedia({ media: 'print' });
    await screenshot(page, 'board-dashboard-print');
    await page.emulateMedia({ media: 'screen' });

    for (const path of [
      `/insatser/${insatsA.id}`,
      `/insatser/${insatsA.id}/inskrivning/ny`,
      `/rapporter?typ=forbund&forbund=${association.id}&period=${YEAR}`,
      `/rapporter/export?typ=forbund&forbund=${association.id}&period=${YEAR}&format=xlsx`,
      `/rapporter/export?typ=insats&insats=${insatsA.id}&period=${YEAR}&format=csv`,
    ]) {
      const res = await page.request.get(path, { maxRedirects: 0 });
      expect({ path, status: res.status() }).toEqual({ path, status: 403 });
    }
    const page403 = await page.goto(`/insatser/${insatsA.id}`);
    expect(page403?.status()).toBe(403);
    expect(await page.locator('h1').textContent()).toBe('Du har inte behörighet');
    await context.close();
  });

  it('evaluator: creates a survey round and enters a paper answer; after the worker the report page shows the shares', async () => {
    const { context, page } = await session(users.evaluator.email);
    await page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Enkäter' }).click();
    expect(await page.locator('h1').textContent()).toContain('Enkätomgångar');
    await page.getByLabel('Enkät', { exact: true }).selectOption('nns-staff-2021');
    await page.getByLabel('År', { exact: true }).fill(String(YEAR));
    await page.getByLabel('Antal inbjudna').fill('0');
    await page.getByRole('button', { name: 'Skapa en omgång' }).click();
    expect(await page.locator('.error-summary').textContent()).toContain('Ange antal inbjudna');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Antal inbjudna').fill('6');
    await page.getByLabel('Insatser').selectOption(insatsA.id);
    await page.getByRole('button', { name: 'Skapa en omgång' }).click();
    expect(await page.locator('.notice-success').textContent()).toContain('Omgången är skapad.');
    // The first question answered "Helt och hållet" (code 5, clearly positive).
    await page.locator('input[name^="q-"][value="5"]').first().check();
    await page.getByRole('button', { name: 'Spara svaret' }).click();
    expect(await page.locator('.notice-success').textContent()).toContain('Svaret är sparat');
    expect((await page.locator('dd[data-responses]').textContent())?.trim()).toBe('1');
    await page.getByLabel('Antal länkar').fill('2');
    await page.getByRole('button', { name: 'Skapa länkar' }).click();
    const links = (await page.locator('[data-links]').inputValue()).split('\n');
    expect(links).toHaveLength(2);
    expect(links[0]).toMatch(/\/enkat\/[A-Za-z0-9_-]{20,}$/);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'evaluator-survey-round');

    await eventually(
      async () => {
        await page.goto(`/rapporter?typ=insats&insats=${insatsA.id}&period=${YEAR}`);
        return page.locator('#survey-staff tbody tr').nth(1).locator('td').nth(4).textContent();
      },
      (clearlyPositive) => clearlyPositive?.trim() === '100 %',
      60_000,
    );
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'evaluator-report-surveys');
    await context.close();

    // The board: one answer is below k = 3, so the question is shown without figures.
    const board = await session(users.board.email);
    await board.page.goto(`/styrelse/${association.id}?period=${YEAR}`);
    const question = board.page.locator('#survey-staff tbody tr').nth(1);
    expect((await question.locator('td').nth(5).textContent())?.trim()).toBe('<3');
    expect((await question.locator('td').nth(3).textContent())?.trim()).toBe('–');
    expect(await board.page.locator('#survey-staff').textContent()).not.toContain('100 %');
    await screenshot(board.page, 'board-dashboard-surveys');
    await board.context.close();
  });

  it('coordinator: uploads a small CSV, watches it validated, commits with a confirmation, sees it done', async () => {
    const { context, page } = await session(users.coordinator.email);
    await page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Import' }).click();
    const code = unique('CSV');
    const csv = [
      ['Deltagarkod', 'Insats', 'Startdatum', 'Anvisande part', 'Kön', 'Ålder', 'Kommun'],
      [code, insatsB.name, DAY, 'Försäkringskassan', 'Kvinna', '29', 'Haninge'],
    ]
      .map((r) => r.join(';'))
      .join('\r\n');
    await page.getByRole('button', { name: 'Ladda upp och kontrollera' }).click();
    expect(await page.locator('.error-summary').textContent()).toContain('Välj en fil');
    await page
      .getByLabel('Fil', { exact: true })
      .setInputFiles({ name: 'deltagare.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await page.getByRole('button', { name: 'Ladda upp och kontrollera' }).click();
    // The page refreshes itself (meta refresh) until the worker has validated the file.
    await page.waitForSelector('[data-import-status="validated"]', { timeout: 60_000 });
    expect(await page.locator('[data-progress]').textContent()).toBe('1 av 1 rader behandlade');
    expect((await page.locator('[data-created]').textContent())?.trim()).toBe('1');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'coordinator-import-validated');
    await page.getByRole('link', { name: 'Spara raderna' }).click();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'coordinator-import-confirm');
    await page.getByRole('button', { name: 'Ja, spara raderna' }).click();
    await page.waitForSelector('[data-import-status="done"]', { timeout: 60_000 });
    expect(await page.locator('main').textContent()).toContain('Det här sparades:');
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'coordinator-import-done');
    const rows = await t.db.query(`SELECT 1 FROM participant WHERE code = $1`, [code]);
    expect(rows).toHaveLength(1);
    await context.close();
  });

  it('coordinator: a data-quality row links to the enrolment correction page', async () => {
    const { context, page } = await session(users.coordinator.email);
    await page
      .getByRole('navigation', { name: 'Huvudmeny' })
      .getByRole('link', { name: 'Datakvalitet' })
      .click();
    const section = page.locator('[data-check="exit_without_income_support"]');
    expect(await section.locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'coordinator-data-quality');
    await section.getByRole('link', { name: 'Rätta' }).first().click();
    expect(new URL(page.url()).pathname).toMatch(/^\/inskrivningar\/[0-9a-f-]+\/rattelse$/);
    expect(await page.locator('h1').textContent()).toMatch(/Rätta/);
    await context.close();
  });

  it.each([
    ['coordinator', () => users.coordinator.email, PASSWORD],
    ['evaluator', () => users.evaluator.email, PASSWORD],
    ['board', () => users.board.email, PASSWORD],
    ['admin', () => ADMIN.email, ADMIN.password],
  ] as const)(
    'axe: no serious or critical WCAG 2.1 AA violation on any page reachable from the %s start page',
    async (role, email, password) => {
      const { context, page } = await session(email(), password);
      const visited = new Set<string>();
      let frontier = ['/'];
      const problems: { url: string; violations: unknown }[] = [];
      // One page of each kind (ids and query values aside), three links deep from the start page.
      const kinds = new Set<string>();
      const kindOf = (url: string) => {
        const u = new URL(url, base);
        const path = u.pathname.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ':id');
        return `${path}?${[...new Set(u.searchParams.keys())].sort().join('&')}:${u.searchParams.get('typ') ?? ''}`;
      };
      for (let depth = 0; depth < 4 && frontier.length; depth++) {
        const next: string[] = [];
        for (const url of frontier) {
          if (visited.has(url) || kinds.has(kindOf(url)) || visited.size >= 40) continue;
          visited.add(url);
          kinds.add(kindOf(url));
          const res = await page.goto(url);
          expect({ url, status: res?.status() }).toEqual({ url, status: 200 });
          const violations = await seriousViolations(page);
          if (violations.length) problems.push({ url, violations });
          expect(await page.locator('h1').count()).toBe(1);
          expect(await page.getAttribute('html', 'lang')).toBe('sv');
          expect(await page.title()).toMatch(/ – Uppföljning$/);
          // Headings never skip a level on the way down.
          const levels = await page.$$eval('h1, h2, h3, h4', (hs) => hs.map((h) => Number(h.tagName[1])));
          levels.forEach((level, i) =>
            expect({ url, level }).toEqual({ url, level: Math.min(level, (levels[i - 1] ?? 1) + 1) }),
          );
          // 200 % zoom of a 1280 px window: nothing but a wide data table (scrolling in its own box) is wider.
          await page.setViewportSize({ width: 640, height: 900 });
          const overflow = await page.evaluate(
            () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
          );
          expect({ url, overflow }).toEqual({ url, overflow: 0 });
          await page.setViewportSize({ width: 1280, height: 720 });
          await screenshot(page, `${role}-${url}`);
          next.push(...(await pageLinks(page)));
        }
        frontier = next;
      }
      expect(problems).toEqual([]);
      expect(visited.size).toBeGreaterThan(role === 'board' ? 0 : 2);
      await context.close();
    },
    120_000,
  );

  it('keyboard only: a coordinator signs in, registers and exits an enrolment; the skip link reaches the content', async () => {
    const context = await newContext(browser, base);
    const page = await context.newPage();
    await page.goto('/');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Hoppa till innehållet');
    await keyboardSignIn(page, users.coordinator.email);
    expect(await page.locator('h1').textContent()).toBe('Mina insatser');

    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter'); // the skip link
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');

    await tabTo(page, `a[href="/insatser/${insatsB.id}"]`);
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/insatser/${insatsB.id}`);
    await tabTo(page, `a[href="/insatser/${insatsB.id}/inskrivning/ny"]`);
    await page.keyboard.press('Enter');
    await page.waitForURL('**/inskrivning/ny');

    const code = unique('KBD');
    await tabTo(page, '#field-participantCode');
    await page.keyboard.type(code);
    await tabTo(page, '#field-startedOn');
    await page.keyboard.type(DAY);
    await tabTo(page, '#field-referringParty');
    await page.keyboard.press('Space');
    await tabTo(page, '#field-gender');
    await page.keyboard.press('ArrowRight'); // woman → man
    await tabTo(page, '#field-age');
    await page.keyboard.type('31');
    await tabTo(page, 'form button[type="submit"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/insatser/${insatsB.id}`);
    expect(await page.locator('.notice-success').textContent()).toContain(code);

    await tabTo(page, '#field-kod');
    await page.keyboard.type(code);
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    // The code was posted, never put in a URL.
    expect(page.url()).not.toContain(code);
    await tabTo(page, 'a[href^="/inskrivningar/"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/inskrivningar\/[0-9a-f-]+$/);
    await tabTo(page, 'a[href$="/avslut"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/avslut$/);
    await tabTo(page, '#field-exitedOn');
    await page.keyboard.type(`${YEAR}-04-01`);
    await tabTo(page, '#field-exitReason');
    await page.keyboard.press('Space');
    await tabTo(page, 'form button[type="submit"]');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/inskrivningar\/[0-9a-f-]+$/);
    expect(await page.locator('.notice-success').textContent()).toContain(`Avslutet för ${code} är sparat.`);
    await screenshot(page, 'keyboard-coordinator-exit-saved');

    await tabTo(page, 'button.button-link');
    await page.keyboard.press('Enter');
    await page.waitForURL(/utloggad=1/);
    expect(await page.locator('h1').textContent()).toBe('Logga in');
    await context.close();
  });

  it('keyboard only: an evaluator switches the report period and a board member changes the dashboard period', async () => {
    for (const who of ['evaluator', 'board'] as const) {
      const context = await newContext(browser, base);
      const page = await context.newPage();
      await page.goto('/');
      await keyboardSignIn(page, users[who].email);
      if (who === 'evaluator') {
        await tabTo(page, 'a[href^="/rapporter?typ=forbund"]');
        await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      }
      await tabTo(page, '#field-period');
      // Typing a label selects it in a focused select; "Kvartal 2" is unique enough with the year.
      await page.keyboard.type(`Kvartal 2 ${YEAR}`);
      await tabTo(page, 'form.no-print button[type="submit"]');
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      expect(page.url()).toContain(`period=${YEAR}-Q2`);
      expect(await page.locator('main').textContent()).toContain(`Kvartal 2 ${YEAR}`);
      await context.close();
    }
  });

  it('the queue dashboard is behind the admin session', async () => {
    const anonymous = await newContext(browser, base);
    const res = await anonymous.request.get('/admin/koer', { maxRedirects: 0 });
    expect(res.status()).toBe(303);
    await anonymous.close();
    const board = await session(users.board.email);
    expect((await board.page.request.get('/admin/koer', { maxRedirects: 0 })).status()).toBe(403);
    await board.context.close();
    const admin = await session(ADMIN.email, ADMIN.password);
    const ok = await admin.page.goto('/admin/koer');
    expect(ok?.status()).toBe(200);
    await admin.page.waitForSelector('text=aggregation', { timeout: 15_000 });
    await screenshot(admin.page, 'admin-queue-dashboard');
    await admin.context.close();
  });
});
