// Headless-browser test of the wf serve dashboard: drives Debian's Chromium through
// playwright-core against a running server, from the runs list to a run page to Cancel; then, with
// --schedule, to the schedules page: the (paused) schedule is resumed, triggered, and its last run
// opened from its link.
//
//   node dashboard_test.mjs --url http://127.0.0.1:PORT --run <run-id> --screenshot <path.png>
//                           [--schedule <name>] [--chromium /usr/bin/chromium]
//
// The run must be live (not final) and on the list's first page. Prints `browser test: OK` and
// exits 0, or prints what failed, saves a screenshot to <path>-failure.png and exits 1.
import { chromium } from 'playwright-core';

const FINAL_STATUSES = new Set(['completed', 'failed', 'cancelled']);
const STEP_TIMEOUT_MS = 15_000;
const CANCEL_TIMEOUT_MS = 10_000;

function usage(message) {
  console.error(`browser test: ${message}\n` +
    'usage: node dashboard_test.mjs --url http://127.0.0.1:PORT --run <run-id> ' +
    '--screenshot <path.png> [--chromium /usr/bin/chromium]');
  process.exit(1);
}

function parseArgs(argv) {
  const options = { chromium: '/usr/bin/chromium' };
  const known = new Set(['url', 'run', 'screenshot', 'chromium', 'schedule']);
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    let name;
    let value;
    if (arg.startsWith('--') && arg.includes('=')) {
      [name, value] = [arg.slice(2, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)];
    } else if (arg.startsWith('--')) {
      name = arg.slice(2);
      value = argv[i + 1];
      i += 1;
      if (value === undefined) usage(`--${name} needs a value`);
    } else {
      usage(`unexpected argument: ${arg}`);
    }
    if (!known.has(name)) usage(`unknown option: --${name}`);
    options[name] = value;
  }
  for (const name of ['url', 'run', 'screenshot']) {
    if (!options[name]) usage(`--${name} is required`);
  }
  options.url = options.url.replace(/\/+$/, '');
  return options;
}

function failurePath(path) {
  return path.toLowerCase().endsWith('.png') ? `${path.slice(0, -4)}-failure.png` : `${path}-failure.png`;
}

// A CSS attribute-selector string literal holding any run id.
function cssString(value) {
  return `"${value.replace(/["\\]/g, '\\$&').replace(/\n/g, '\\a ')}"`;
}

async function step(description, action) {
  try {
    return await action();
  } catch (e) {
    const reason = (e && e.message ? e.message : String(e)).split('\n')[0];
    throw new Error(`${description}: ${reason}`);
  }
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const pageErrors = [];
  let browser;
  let page;
  try {
    browser = await step(`launch Chromium at ${options.chromium}`, () => chromium.launch({
      executablePath: options.chromium,
      headless: true,
      args: ['--no-sandbox'],
    }));
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') console.error(`browser console: ${message.text()}`);
    });

    await step(`open ${options.url}/`, async () => {
      const response = await page.goto(`${options.url}/`, { waitUntil: 'domcontentloaded' });
      if (!response || !response.ok()) throw new Error(`HTTP ${response ? response.status() : 'no response'}`);
      // Another site must not frame the dashboard (clickjacking its buttons).
      const headers = response.headers();
      if (headers['x-frame-options'] !== 'DENY') throw new Error(`X-Frame-Options is ${headers['x-frame-options']}`);
      if (!/frame-ancestors 'none'/.test(headers['content-security-policy'] || '')) {
        throw new Error(`Content-Security-Policy is ${headers['content-security-policy']}`);
      }
    });

    const row = page.locator(`[data-testid="run-row"][data-run-id=${cssString(options.run)}]`);
    await step(`wait for the runs list to show run ${options.run}`,
      () => row.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS }));
    await step('open the run page from its row', () => row.click({ timeout: STEP_TIMEOUT_MS }));

    await step('wait for a bar in the step timeline', () =>
      page.locator('[data-testid="timeline-bar"]').first().waitFor({ state: 'attached', timeout: STEP_TIMEOUT_MS }));

    const status = page.locator('[data-testid="run-status"]');
    const before = (await step('read the run status', () => status.textContent({ timeout: STEP_TIMEOUT_MS }))).trim();
    if (!before) throw new Error('the run status badge is empty');
    if (FINAL_STATUSES.has(before)) {
      throw new Error(`run ${options.run} is already ${before}; the test needs a live run`);
    }

    // Keep marks the run so retention never deletes it; Stop keeping takes the mark off.
    const keep = page.locator('[data-testid="action-keep"]');
    const unkeep = page.locator('[data-testid="action-unkeep"]');
    await step('click Keep', () => keep.click({ timeout: STEP_TIMEOUT_MS }));
    await step('see Stop keeping enabled and Keep disabled', () => page.waitForFunction(() =>
      !document.querySelector('[data-testid="action-unkeep"]').disabled
        && document.querySelector('[data-testid="action-keep"]').disabled, null, { timeout: STEP_TIMEOUT_MS }));
    await step('click Stop keeping', () => unkeep.click({ timeout: STEP_TIMEOUT_MS }));
    await step('see Keep enabled again', () => page.waitForFunction(() =>
      !document.querySelector('[data-testid="action-keep"]').disabled
        && document.querySelector('[data-testid="action-unkeep"]').disabled, null, { timeout: STEP_TIMEOUT_MS }));

    // Cancel asks first: dismissing the question changes nothing, confirming cancels.
    const confirm = page.locator('[data-testid="confirm-cancel"]');
    await step('click Cancel', () => page.locator('[data-testid="action-cancel"]').click({ timeout: STEP_TIMEOUT_MS }));
    await step('see the confirmation', () => confirm.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS }));
    await step('dismiss it', () => page.locator('[data-testid="confirm-cancel-no"]').click({ timeout: STEP_TIMEOUT_MS }));
    await step('see it gone', () => confirm.waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS }));
    await page.waitForTimeout(1500); // a refresh or two: the run must still be live
    const afterDismiss = (await status.textContent()).trim();
    if (FINAL_STATUSES.has(afterDismiss)) throw new Error(`dismissing the confirmation left the run ${afterDismiss}`);
    await step('click Cancel again', () => page.locator('[data-testid="action-cancel"]').click({ timeout: STEP_TIMEOUT_MS }));
    await step('confirm', () => page.locator('[data-testid="confirm-cancel-yes"]').click({ timeout: STEP_TIMEOUT_MS }));
    await step(`wait ${CANCEL_TIMEOUT_MS / 1000} s for the status to become cancelled`, async () => {
      try {
        await page.waitForFunction(
          () => document.querySelector('[data-testid="run-status"]')?.textContent.trim() === 'cancelled',
          null, { timeout: CANCEL_TIMEOUT_MS });
      } catch (e) {
        const now = (await status.textContent().catch(() => '?'))?.trim();
        const error = page.locator('[data-testid="error"]:visible');
        const shown = (await error.count()) ? (await error.first().textContent()).trim() : '';
        throw new Error(`status is still "${now}"${shown ? `; the page shows the error "${shown}"` : ''}`);
      }
    });

    if (options.schedule) {
      await step('open the schedules page', () => page.locator('[data-testid="nav-schedules"]').click({ timeout: STEP_TIMEOUT_MS }));
      const schedule = page.locator(`tr[data-schedule=${cssString(options.schedule)}]`);
      await step(`wait for schedule ${options.schedule}`, () => schedule.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS }));
      const state = schedule.locator('[data-testid="schedule-state"]');
      const stateIs = (expected) => page.waitForFunction(
        ([name, want]) => document.querySelector(`tr[data-schedule="${name}"] [data-testid="schedule-state"]`)
          ?.textContent.trim() === want, [options.schedule, expected], { timeout: STEP_TIMEOUT_MS });
      await step('see it paused', () => stateIs('paused'));
      await step('click Resume', () => schedule.locator('[data-testid="schedule-toggle"]').click({ timeout: STEP_TIMEOUT_MS }));
      await step('see it active', () => stateIs('active'));
      await step('click Trigger now', () => schedule.locator('[data-testid="schedule-trigger"]').click({ timeout: STEP_TIMEOUT_MS }));
      const lastRun = schedule.locator('[data-testid="schedule-last-run"] a');
      await step('see the triggered run as its last run', () => page.waitForFunction(
        (name) => /-manual$/.test(document.querySelector(`tr[data-schedule="${name}"] [data-testid="schedule-last-run"] a`)
          ?.textContent.trim() || ''), options.schedule, { timeout: STEP_TIMEOUT_MS }));
      if ((await state.textContent()).trim() !== 'active') throw new Error('triggering changed the state');
      await step('open the last run from its link', () => lastRun.click({ timeout: STEP_TIMEOUT_MS }));
      await step('see its run page', () => page.locator('[data-testid="run-status"]').waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS }));
    }

    if (pageErrors.length) throw new Error(`uncaught errors in the page: ${pageErrors.join('; ')}`);

    await step(`save a screenshot to ${options.screenshot}`,
      () => page.screenshot({ path: options.screenshot, fullPage: true }));
    console.log('browser test: OK');
    return 0;
  } catch (e) {
    console.error(`browser test: FAILED: ${e.message}`);
    if (pageErrors.length) console.error(`uncaught errors in the page: ${pageErrors.join('; ')}`);
    if (page) {
      const path = failurePath(options.screenshot);
      try {
        await page.screenshot({ path, fullPage: true });
        console.error(`browser test: screenshot of the failure: ${path}`);
      } catch (shotError) {
        console.error(`browser test: no failure screenshot (${shotError.message.split('\n')[0]})`);
      }
    }
    return 1;
  } finally {
    if (browser) await browser.close().catch(() => {});
  }
}

process.exitCode = await main();
