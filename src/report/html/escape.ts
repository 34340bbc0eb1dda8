// Output helpers for the HTML report. Everything that came from a log is attacker-controlled: it only ever reaches
// the page as escaped TEXT (element content, or a quoted attribute value through `attr`), never as markup, a URL,
// a style or a script. Invisible and direction-changing characters (U+202E RIGHT-TO-LEFT OVERRIDE, zero-width
// characters, C0/C1 controls) are shown as a visible "[U+202E]" marker, so a name cannot hide or reorder text.
// Values that are not ours but end up in class names or numbers in SVG attributes go through whitelists
// (`oneOf`) and `num`, so a tampered JSON report read back from the store cannot break out either.
import { escapeHtml } from '../../core/text.js';

// C0/C1 controls except tab/LF/CR, DEL, bidi embeddings/overrides/isolates/marks, zero-width characters,
// line/paragraph separators, BOM. (The same set as src/core/text.ts safeTerminal, plus the ALM/LRM/RLM marks.)
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2069\ufeff]/g;

/** The visible marker a hidden character becomes ("[U+202E]"). */
export function marker(c: string): string {
  return `[U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}]`;
}

function str(s: unknown): string {
  if (typeof s === 'string') return s;
  if (s === undefined || s === null) return '';
  if (typeof s === 'object') {
    try {
      return JSON.stringify(s);
    } catch {
      return '';
    }
  }
  return String(s);
}

/** What a person will read for a log string: hidden characters replaced by markers (plain text, not escaped). */
export function visible(s: unknown): string {
  return str(s).replace(INVISIBLE, marker);
}

// Runs of more than LONG_RUN non-space characters get a <wbr> every BREAK_EVERY characters, so a 10 kB name or
// a hash wraps inside its table cell instead of widening the table (CSS overflow-wrap:anywhere would also break
// short words like permission names). <wbr> adds no text: copy/paste and textContent are unchanged.
const LONG_RUN = /\S{33,}/g;
const BREAK_EVERY = 24;

function escapeBreaking(s: string): string {
  let out = '';
  let last = 0;
  for (const m of s.matchAll(LONG_RUN)) {
    out += escapeHtml(s.slice(last, m.index));
    const run = m[0];
    const pieces: string[] = [];
    for (let i = 0; i < run.length;) {
      let end = Math.min(run.length, i + BREAK_EVERY);
      const c = run.charCodeAt(end - 1);
      if (end < run.length && c >= 0xd800 && c <= 0xdbff) end++; // keep surrogate pairs whole
      pieces.push(escapeHtml(run.slice(i, end)));
      i = end;
    }
    out += pieces.join('<wbr>');
    last = m.index + run.length;
  }
  return out + escapeHtml(s.slice(last));
}

/**
 * Hidden characters in HTML that another module escaped (the posture audit section) become the same visible
 * "[U+202E]" marker, as plain text: safe in element text and in quoted attribute values alike.
 */
export function revealHidden(html: string): string {
  return html.replace(INVISIBLE, marker);
}

/** Escaped element text. Hidden characters become a styled visible marker; very long words may wrap. */
export function t(s: unknown): string {
  const v = str(s);
  let out = '';
  let last = 0;
  for (const m of v.matchAll(INVISIBLE)) {
    out += escapeBreaking(v.slice(last, m.index)) + `<span class="tw-ctl">${marker(m[0])}</span>`;
    last = m.index + m[0].length;
  }
  return out + escapeBreaking(v.slice(last));
}

/** Cut to at most `max` UTF-16 units without splitting a surrogate pair. */
export function cut(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = max;
  const c = s.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return s.slice(0, end);
}

/** An inline log value, direction-isolated, cut to `max` characters with a visible count of what was left out. */
export function v(s: unknown, max = 200): string {
  const full = str(s);
  if (full.length <= max) return `<bdi>${t(full)}</bdi>`;
  const head = cut(full, max);
  return `<bdi>${t(head)}</bdi><span class="tw-cut">… (+${full.length - head.length} characters)</span>`;
}

/**
 * A block-level log value (table cell, list item content): like `v`, but a cut value keeps its full text one click
 * away in a <details> element, so nothing is hidden and a 10 kB name does not flood the page.
 */
export function vFull(s: unknown, max = 200): string {
  const full = str(s);
  if (full.length <= max) return `<bdi>${t(full)}</bdi>`;
  const head = cut(full, max);
  return `<bdi>${t(head)}</bdi><details class="tw-more"><summary>… +${full.length - head.length} characters</summary><div class="tw-full">${t(full)}</div></details>`;
}

/** A quoted attribute value (title=, aria-label=). Never use for href/src/style/on*: log text never goes there. */
export function attr(s: unknown, max = 300): string {
  return `"${escapeHtml(cut(visible(s), max))}"`;
}

/** `value` when it is one of `allowed` (for class names built from enum fields), else `fallback`. */
export function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

/** A finite number for SVG geometry (rounded to 0.1), 0 for anything else. */
export function num(n: unknown): string {
  const x = typeof n === 'number' && Number.isFinite(n) ? Math.round(n * 10) / 10 : 0;
  return Object.is(x, -0) ? '0' : String(x);
}

/** Arrays from a report that may have been read back from JSON: anything else is empty. */
export function list<T>(x: T[] | undefined | null): T[] {
  return Array.isArray(x) ? x : [];
}

/** "2024-05-06 09:20:00Z" from an ISO string (shorter, still UTC and unambiguous); the input as text otherwise. */
export function when(iso: unknown): string {
  if (typeof iso !== 'string') return '';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?Z$/.exec(iso);
  return m ? `${m[1]} ${m[2]}Z` : iso;
}

/** A duration in words ("20 min", "3 h 5 min", "2 d 4 h"). */
export function duration(ms: unknown): string {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) return '';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

/** Thousands separators for counts. */
export function count(n: unknown): string {
  return typeof n === 'number' && Number.isFinite(n) ? n.toLocaleString('en-US') : '—';
}
