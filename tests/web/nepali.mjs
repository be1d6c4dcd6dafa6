// nepali.mjs: the pages in Nepali on a phone (360 px) through Debian's chromium (run.sh starts
// the server and sets the environment):
//   - a registrar chooses Nepali (?lang=ne) and opens the dashboard of coverage: its figures
//     (SVG bars with the shares of women and under-35s) render within 360 px; a screenshot is
//     kept;
//   - then Maya's single window, still in Nepali (the choice is kept): verdicts, a reason in the
//     scheme catalogue's Nepali, contributions, claims, payments, grievances and corrections; a
//     screenshot is kept;
//   - the claim and grievance forms, the payroll runs (a payer) and an audit trail (an
//     auditor), each in Nepali;
//   - axe-core finds no serious or critical violation on any of them, each under 50 KB.
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core/axe.min.js');
const env = process.env;
const base = env.BASE;

const browser = await chromium.launch({ executablePath: env.CHROMIUM, args: ['--no-sandbox'] });
const failures = [];
const check = async (name, fn) => {
  try {
    await fn();
  } catch (e) {
    failures.push(`${name}: ${e.message}`);
  }
};

async function audit(page, what) {
  const html = await page.content();
  assert.ok(Buffer.byteLength(html) < 50 * 1024, `${what} is ${Buffer.byteLength(html)} bytes`);
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(() => globalThis.axe.run());
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(', ')})`),
    [],
    `axe-core on ${what}`,
  );
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `${what} is ${width} px wide at 360 px`);
}

async function signIn(name) {
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 1,
    bypassCSP: true,
  });
  const page = await context.newPage();
  await page.goto(`${base}/login?lang=ne`);
  assert.equal(await page.locator('html').getAttribute('lang'), 'ne');
  await page.getByLabel('प्रयोगकर्ता नाम').fill(name);
  await page.getByLabel('पासवर्ड').fill(env.PASSWORD);
  await page.getByRole('button', { name: 'साइन इन' }).click();
  return page;
}

await check('dashboard and single window in Nepali', async () => {
  const page = await signIn(env.REGISTRAR);
  await page.goto(`${base}/dashboard`);
  assert.equal(await page.locator('html').getAttribute('lang'), 'ne');
  assert.equal(await page.locator('h1').innerText(), 'संरक्षण');
  assert.equal(await page.locator('section.figure svg').count(), 3, 'three figures');
  const bars = await page.locator('section.figure svg g.bar').count();
  assert.ok(bars >= 6, `bars: ${bars}`);
  assert.match(await page.locator('.headline').first().innerText(), /women and .* under 35/);
  await audit(page, 'the dashboard in Nepali');
  await page.screenshot({ path: `${env.ARTIFACTS}/dashboard_ne_360.png`, fullPage: true });

  await page.goto(`${base}/persons/${env.OTHER_ID}`);
  assert.equal(await page.locator('html').getAttribute('lang'), 'ne');
  assert.equal(await page.locator('h1').innerText(), 'Maya Gurung');
  const verdicts = await page.locator('.verdict').allInnerTexts();
  assert.ok(verdicts.includes('योग्य'), verdicts.join());
  for (const heading of ['योगदानहरू', 'दाबीहरू', 'भुक्तानीहरू', 'गुनासाहरू', 'सच्याइएका विवरणको इतिहास']) {
    assert.equal(await page.getByRole('heading', { name: heading }).count(), 1, heading);
  }
  const reasons = await page.locator('.why li').allTextContents();
  assert.ok(
    reasons.some((r) => r.includes('70 वर्ष वा सोभन्दा माथि')),
    `a reason in Nepali from the scheme's catalogue: ${reasons.slice(0, 3).join(' | ')}`,
  );
  const text = await page.locator('main').innerText();
  assert.match(text, /np\.ssa\.senior_citizen/);
  assert.match(text, /The district is wrong/);
  assert.match(text, /NP12BANK000123/);
  await audit(page, 'the single window in Nepali');
  await page.screenshot({ path: `${env.ARTIFACTS}/single_window_ne_360.png`, fullPage: true });

  await page.getByRole('link', { name: 'दाबी दर्ता गर्नुहोस्' }).click();
  await audit(page, 'the claim form in Nepali');
  await page.getByLabel('घटना', { exact: true }).fill('sickness');
  await page.getByLabel('घटनाको मिति').fill('2083-01-20 BS');
  await page.getByRole('button', { name: 'दाबी पेश गर्नुहोस्' }).click();
  assert.match(page.url(), new RegExp(`/persons/${env.OTHER_ID}#claims$`));
  await page.goto(`${base}/persons/${env.OTHER_ID}/grievance`);
  await audit(page, 'the grievance form in Nepali');
  await page.context().close();
});

await check('payroll runs in Nepali', async () => {
  const page = await signIn(env.PAYER);
  await page.goto(`${base}/payroll`);
  assert.equal(await page.locator('h1').innerText(), 'भुक्तानी सूचीहरू');
  assert.match(await page.locator('table').innerText(), /PAY-000001/);
  await audit(page, 'the payroll runs in Nepali');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'pain.001' }).first().click(),
  ]);
  assert.equal(download.suggestedFilename(), 'PAY-000001.pain.001.xml');
  await page.context().close();
});

await check('audit trail in Nepali', async () => {
  const page = await signIn(env.AUDITOR);
  await page.goto(`${base}/audit?object=${env.OTHER_ID}`);
  assert.match(await page.locator('table').innerText(), /claim\.file/);
  await audit(page, 'the audit trail in Nepali');
  await page.context().close();
});

await browser.close();
if (failures.length > 0) {
  for (const f of failures) console.error(`FAIL: ${f}`);
  process.exit(1);
}
console.log('nepali: ok');
