// Opens an HTML report in a real Chromium (driven by playwright-core) and records everything that would show an
// injection: dialogs, console output, page errors, network requests, a `window.__pwned` flag, event-handler
// attributes, script/iframe/base/meta-refresh elements, style attributes, links that are not in-page fragments.
// The caller passes playwright's `chromium` object, so this file does not import playwright itself (the test does,
// and skips when it is not installed). Requests other than file:/data: are aborted: the test never reaches out.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** Debian's Chromium; CHROMIUM_PATH overrides. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

// The slice of playwright-core's API used here (the package's own types are not needed to compile without it).
interface PwRequest { url(): string }
interface PwRoute { request(): PwRequest; continue(): Promise<void>; abort(): Promise<void> }
interface PwMessage { type(): string; text(): string }
interface PwDialog { type(): string; message(): string; dismiss(): Promise<void> }
export interface PwPage {
  on(event: 'request', f: (r: PwRequest) => void): void;
  on(event: 'console', f: (m: PwMessage) => void): void;
  on(event: 'pageerror', f: (e: Error) => void): void;
  on(event: 'dialog', f: (d: PwDialog) => void): void;
  goto(url: string, opts?: { waitUntil?: 'load' | 'networkidle' }): Promise<unknown>;
  evaluate(expression: string): Promise<unknown>;
  textContent(selector: string): Promise<string | null>;
  waitForTimeout(ms: number): Promise<void>;
  screenshot(opts: { path: string; fullPage?: boolean; clip?: { x: number; y: number; width: number; height: number } }): Promise<unknown>;
  close(): Promise<void>;
}
interface PwContext {
  newPage(): Promise<PwPage>;
  route(url: string, f: (r: PwRoute) => void): Promise<void>;
  close(): Promise<void>;
}
export interface PwChromium {
  launchPersistentContext(userDataDir: string, opts: { executablePath: string; headless: boolean; args: string[]; viewport?: { width: number; height: number } }): Promise<PwContext>;
}

export interface BrowserObservations {
  dialogs: string[];
  console: string[];
  pageErrors: string[];
  /** every request the page tried, file: and data: included */
  requests: string[];
  pwned: unknown;
  title: string;
  text: string;
  hrefs: string[];
  /** attributes whose name starts with "on", as "tag[attr]" */
  handlers: string[];
  /** elements that should never be in a report: script, iframe, object, embed, base, link, meta refresh, form */
  forbidden: string[];
  styleAttributes: number;
  styleElements: number;
  /** a horizontal scrollbar means a long name broke the layout */
  overflowX: boolean;
  /** characters U+202E/U+200B/... found in the rendered text (they must have become visible markers) */
  hiddenChars: string[];
  csp: string | null;
  /** the stylesheet applied (its CSP hash matched) */
  styled: boolean;
}

// Runs inside the page. It is a string because the project compiles without DOM types.
const PROBE = `(() => {
  const all = [...document.querySelectorAll('*')];
  const handlers = [];
  for (const el of all) for (const a of el.attributes) if (a.name.toLowerCase().startsWith('on')) handlers.push(el.tagName.toLowerCase() + '[' + a.name + ']');
  const forbidden = [...document.querySelectorAll('script, iframe, frame, object, embed, base, link, form, meta[http-equiv="refresh" i], meta[http-equiv="Refresh"]')].map((e) => e.outerHTML.slice(0, 120));
  const text = document.body ? document.body.textContent : '';
  const hidden = [...new Set((document.documentElement.textContent.match(/[\\u202a-\\u202e\\u2066-\\u2069\\u200b-\\u200f\\u0000-\\u0008\\u001b]/g) || []))].map((c) => 'U+' + c.codePointAt(0).toString(16).toUpperCase().padStart(4, '0'));
  const csp = document.querySelector('meta[http-equiv="Content-Security-Policy"]');
  return {
    pwned: window.__pwned,
    title: document.title,
    text,
    hrefs: [...document.querySelectorAll('[href], [src], [action], [formaction], [xlink\\\\:href]')].map((e) => e.getAttribute('href') ?? e.getAttribute('src') ?? e.getAttribute('action') ?? e.getAttribute('formaction') ?? e.getAttribute('xlink:href')),
    handlers,
    forbidden,
    styleAttributes: document.querySelectorAll('[style]').length,
    styleElements: document.querySelectorAll('style').length,
    overflowX: document.documentElement.scrollWidth > document.documentElement.clientWidth + 1,
    hiddenChars: hidden,
    csp: csp ? csp.getAttribute('content') : null,
    styled: getComputedStyle(document.body).maxWidth === '1280px',
  };
})()`;

/** Open every <details> (so ontoggle payloads and lazily shown content get their chance) and wait a moment. */
const OPEN_ALL = `(() => { for (const d of document.querySelectorAll('details')) d.open = true; return document.querySelectorAll('details').length; })()`;

export async function observeInChromium(chromium: PwChromium, html: string, opts: { openDetails?: boolean; screenshot?: string; viewport?: { width: number; height: number } } = {}): Promise<BrowserObservations> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tw-report-'));
  const file = path.join(dir, 'report.html');
  writeFileSync(file, html, 'utf8');
  const profile = path.join(dir, 'profile');
  const ctx = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, viewport: opts.viewport ?? { width: 1280, height: 900 } });
  const obs = { dialogs: [] as string[], console: [] as string[], pageErrors: [] as string[], requests: [] as string[] };
  try {
    await ctx.route('**/*', (route) => {
      const url = route.request().url();
      void (url.startsWith('file:') || url.startsWith('data:') ? route.continue() : route.abort());
    });
    const page = await ctx.newPage();
    page.on('request', (r) => obs.requests.push(r.url()));
    page.on('console', (m) => obs.console.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => obs.pageErrors.push(String(e?.message ?? e)));
    page.on('dialog', (d) => {
      obs.dialogs.push(`${d.type()}: ${d.message()}`);
      void d.dismiss();
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    if (opts.openDetails) {
      await page.evaluate(OPEN_ALL);
      await page.waitForTimeout(150); // toggle events are queued as tasks
    }
    if (opts.screenshot) await page.screenshot({ path: opts.screenshot, fullPage: false });
    const probe = (await page.evaluate(PROBE)) as Omit<BrowserObservations, 'dialogs' | 'console' | 'pageErrors' | 'requests'>;
    await page.close();
    return { ...obs, ...probe };
  } finally {
    await ctx.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
