// single_window.mjs: a registrar and a worker in a phone-sized browser (360 px), and the public
// page, through Debian's chromium (run.sh starts the server and sets the environment):
//   - the registrar signs in, registers a person through the form (a birth date in the future
//     is refused with the message beside the field), finds the person, opens their single
//     window and reads an eligibility reason; a screenshot of that page is kept;
//   - the worker sees their own page and is refused another's;
//   - the public page shows no name;
//   - axe-core finds no serious or critical violation on any page, and every page is under
//     50 KB.
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core/axe.min.js');
const env = process.env;
const base = env.BASE;

const browser = await chromium.launch({
  executablePath: env.CHROMIUM,
  args: ['--no-sandbox'],
});
const failures = [];
const check = async (name, fn) => {
  try {
    await fn();
  } catch (e) {
    failures.push(`${name}: ${e.message}`);
  }
};

// axe-core on the page as it is now: no serious or critical violation; the page's weight.
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
}

async function newPhone() {
  // bypassCSP: the pages forbid inline scripts, which is how axe-core is put in for the test
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 1,
    bypassCSP: true,
  });
  return context.newPage();
}

async function signIn(page, name) {
  await page.goto(`${base}/login`);
  await audit(page, 'the login page');
  await page.getByLabel('User name').fill(name);
  await page.getByLabel('Password').fill(env.PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

await check('registrar', async () => {
  const page = await newPhone();
  await signIn(page, env.REGISTRAR);
  assert.match(page.url(), /\/search$/);
  await audit(page, 'the search page');

  await page.getByRole('link', { name: 'Register' }).click();
  await audit(page, 'the register page');
  await page.getByLabel('Given name').fill('Kamala');
  await page.getByLabel('Family name').fill('Adhikari');
  await page.getByLabel('Sex').selectOption('female');
  await page.getByLabel('Date of birth').fill('2090-01-01');
  await page.getByLabel('Country').fill('NP');
  await page.getByLabel('District').fill('Ilam');
  await page.getByRole('button', { name: 'Register' }).click();
  const note = page.locator('#birth_date-note');
  assert.match(await note.innerText(), /birth_date/);
  assert.equal(await page.getByLabel('Date of birth').getAttribute('aria-invalid'), 'true');
  await audit(page, 'the register page with a refused birth date');

  await page.getByLabel('Date of birth').fill('1950-05-05');
  await page.getByRole('button', { name: 'Register' }).click();
  assert.match(page.url(), /\/persons\/\d{12}$/);

  await page.getByRole('link', { name: 'Search' }).click();
  await page.getByLabel('Name, worker ID, national ID or phone').fill('Kamala Adhikari');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('link', { name: 'Kamala Adhikari' }).click();
  assert.equal(await page.locator('h1').innerText(), 'Kamala Adhikari');
  await page.locator('details summary').first().click();
  const reason = await page.locator('.why li').first().innerText();
  assert.ok(reason.length > 5, `an eligibility reason: "${reason}"`);
  const verdicts = await page.locator('.verdict').allInnerTexts();
  assert.ok(verdicts.some((v) => /^(Eligible|Not eligible|Undetermined)$/.test(v)), verdicts.join());
  assert.match(await page.locator('.card').innerText(), /BS/);
  await audit(page, 'the single window');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `the single window is ${width} px wide at 360 px`);
  await page.screenshot({ path: `${env.ARTIFACTS}/single_window_360.png`, fullPage: true });
  await page.context().close();
});

await check('worker', async () => {
  const page = await newPhone();
  await signIn(page, env.WORKER);
  assert.match(page.url(), new RegExp(`/persons/${env.WORKER_ID}$`));
  assert.equal(await page.locator('h1').innerText(), 'Hari Thapa');
  assert.equal(await page.getByRole('link', { name: 'Search' }).count(), 0);
  await audit(page, "the worker's own page");
  const other = await page.goto(`${base}/persons/${env.OTHER_ID}`);
  assert.equal(other.status(), 403);
  assert.ok(!(await page.content()).includes('Gurung'), "another's name is not shown");
  await audit(page, 'the refusal page');
  await page.context().close();
});

await check('public', async () => {
  const page = await newPhone();
  const resp = await page.goto(`${base}/public`);
  assert.equal(resp.status(), 200);
  const text = await page.locator('body').innerText();
  for (const name of ['Hari', 'Thapa', 'Maya', 'Gurung', 'Kamala', 'Adhikari']) {
    assert.ok(!text.includes(name), `the public page shows ${name}`);
  }
  assert.match(text, /Under 35/);
  await audit(page, 'the public page');
  await page.context().close();
});

await browser.close();
if (failures.length > 0) {
  for (const f of failures) console.error(`FAIL: ${f}`);
  process.exit(1);
}
console.log('single_window: ok');
