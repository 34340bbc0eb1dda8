// The screenshot of the HTML report in the docs (docs/report-screenshot.png). Not part of `npm test`.
//   node scripts/screenshot-report.mjs [REPORT.json] [OUT.png] [HEIGHT]
// Builds dist/, renders the report (default: the contract sample src/report/fixtures/sample-report.json) with
// renderHtmlReport, opens it in Debian's Chromium (/usr/bin/chromium, or CHROMIUM_PATH) through playwright-core
// and saves the top HEIGHT pixels (default 2400) at 1280 px wide.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [reportPath = 'src/report/fixtures/sample-report.json', out = 'docs/report-screenshot.png', heightArg = '2400'] = process.argv.slice(2);

const b = spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' });
if (b.status !== 0) console.error('screenshot-report: tsc reported errors; using whatever dist/ holds');
const { renderHtmlReport } = await import('../dist/report/html/index.js');
const { CHROMIUM_ARGS, CHROMIUM_PATH } = await import('../dist/report/html/browser-check.js');

if (!existsSync(CHROMIUM_PATH)) {
  console.error(`screenshot-report: ${CHROMIUM_PATH} not found (apt-get install chromium, or set CHROMIUM_PATH)`);
  process.exit(2);
}
let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch {
  console.error('screenshot-report: playwright-core is not installed (npm install -D playwright-core)');
  process.exit(2);
}

const report = JSON.parse(readFileSync(resolve(reportPath), 'utf8'));
const dir = mkdtempSync(join(tmpdir(), 'tw-shot-'));
try {
  const file = join(dir, 'report.html');
  writeFileSync(file, renderHtmlReport(report), 'utf8');
  const ctx = await chromium.launchPersistentContext(join(dir, 'profile'), { executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 900 } });
  try {
    const page = await ctx.newPage();
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    const full = await page.evaluate('document.documentElement.scrollHeight');
    const height = Math.min(Number(heightArg) || 2400, full);
    await page.screenshot({ path: resolve(out), clip: { x: 0, y: 0, width: 1280, height }, fullPage: true });
    console.log(`screenshot-report: ${out} (1280x${height} of ${full} px)`);
  } finally {
    await ctx.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
