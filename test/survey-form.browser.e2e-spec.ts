import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser } from 'playwright-core';
import { bearer, Fixtures } from './helpers/fixtures';
import { freePort } from './helpers/processes';
import { createTestApp, type TestApp } from './helpers/test-app';

// The anonymous answer form in a real browser: no axe violations, each option found by its label inside its
// question's group, answered once, and then refused with the Swedish message.
describe('the anonymous survey form in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    t = await createTestApp();
    const port = await freePort();
    await t.app.listen(port, '127.0.0.1');
    base = `http://127.0.0.1:${port}`;
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  it('has no accessibility violations, takes one answer and refuses the link afterwards', async () => {
    const f = await Fixtures.create(t);
    const associationId = (await f.association()).id;
    const interventionId = (await f.intervention(associationId, { name: 'Unga till arbete' })).id;
    const round = await t
      .http()
      .post('/api/v1/survey-rounds')
      .set(bearer(f.adminToken))
      .send({
        associationId,
        questionnaireId: 'example-participant-ongoing',
        year: 2024,
        invited: 2,
        interventionIds: [interventionId],
      })
      .expect(201);
    const [link] = (
      await t
        .http()
        .post(`/api/v1/survey-rounds/${round.body.id}/links`)
        .set(bearer(f.adminToken))
        .send({ count: 1 })
        .expect(201)
    ).body.links;

    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}${link.path}`);
    expect(await page.getAttribute('html', 'lang')).toBe('sv');
    const axe = await new AxeBuilder({ page }).analyze();
    expect(axe.violations.map((v) => v.id)).toEqual([]);

    await page
      .getByRole('group', { name: /Har stödet fått ta den tid du behöver\?/ })
      .getByLabel('Helt och hållet')
      .check();
    await page
      .getByRole('group', { name: /vara med och bestämma/ })
      .getByLabel('Delvis')
      .check();
    await page.getByRole('button', { name: 'Skicka svaren' }).click();
    await page.waitForLoadState();
    expect(await page.textContent('h1')).toBe('Tack för dina svar');

    await page.goto(`${base}${link.path}`);
    expect(await page.textContent('h1')).toBe('Enkäten är redan besvarad');
    const rows = await t.db.query(`SELECT answers FROM survey_response WHERE round_id = $1`, [round.body.id]);
    expect(rows).toEqual([
      { answers: { 'example-participant-time-needed': '5', 'example-participant-say-over-support': '3' } },
    ]);
  });
});
