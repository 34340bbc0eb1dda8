// Text helpers shared by decoders and every output surface. Log text is attacker-controlled.

/** "Consent to application." / "Update application – Certificates and secrets management " -> one spelling. */
export function normalizeOperation(op: unknown): string {
  if (typeof op !== 'string') return '';
  // operation names repeat record after record: remember the spellings seen (bounded, short names only)
  let r = OPS.get(op);
  if (r === undefined) {
    r = op
      .replace(/[\u2012\u2013\u2014\u2015\u2212]/g, '-')
      .replace(/\s+/g, ' ')
      .trim()
      .replace(/\.+$/, '')
      .trim();
    if (op.length <= 200) {
      if (OPS.size >= 10_000) OPS.clear();
      OPS.set(op, r);
    }
  }
  return r;
}
const OPS = new Map<string, string>();

/** Case-insensitive key for matching operation names. */
export function opKey(op: unknown): string {
  return normalizeOperation(op).toLowerCase();
}

// C0/C1 controls, DEL, bidi overrides/isolates, zero-width and line/paragraph separators.
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069\ufeff]/g;

/** Make a log-derived string safe for a terminal: control and bidi characters become visible escapes. */
export function safeTerminal(s: unknown, max = 200): string {
  const str = typeof s === 'string' ? s : s === undefined || s === null ? '' : String(s);
  const cut = str.length > max ? str.slice(0, max) + '…' : str;
  return cut.replace(/\t/g, ' ').replace(/\n|\r/g, ' ').replace(UNSAFE, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
}

/**
 * Control and bidi characters as visible `\u{hex}` escapes, the rest unchanged (no cut, no other escaping): for
 * formats that carry text to machines and terminals alike (syslog). Line breaks and tabs too, unless `lines`.
 */
export function visibleControls(s: string, lines = false): string {
  return s.replace(lines ? UNSAFE_BUT_LINES : UNSAFE_AND_LINES, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
}
// UNSAFE without CR (and LF, tab: never in it), and UNSAFE with LF and tab
const UNSAFE_BUT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069\ufeff]/g;
const UNSAFE_AND_LINES = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069\ufeff]/g;

/**
 * JSON text whose strings carry no raw DEL, C1, bidi, zero-width or line-separator characters (JSON.stringify
 * escapes only C0): the same data, safe to show in a terminal.
 */
export function terminalSafeJson(json: string): string {
  return json.replace(/[\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * What a config value that should be a file path looks like when it is the secret itself (a webhook URL, a PEM key,
 * several lines), or undefined when it may be a path. Such a value is never echoed in an error.
 */
export function pastedValue(s: string): string | undefined {
  if (/-----BEGIN /.test(s)) return 'a PEM key or certificate';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s.trim())) return 'a URL';
  if (/[\r\n]/.test(s.trim())) return 'several lines';
  return undefined;
}

/** Escape for HTML text and attribute contexts. */
export function escapeHtml(s: unknown): string {
  const str = typeof s === 'string' ? s : s === undefined || s === null ? '' : String(s);
  return str.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Neutralise spreadsheet formula prefixes in CSV exports. */
export function safeCsvCell(s: unknown): string {
  let str = typeof s === 'string' ? s : s === undefined || s === null ? '' : typeof s === 'object' ? JSON.stringify(s) : String(s);
  if (/^[=+\-@\t\r]/.test(str)) str = "'" + str;
  return /[",\r\n]/.test(str) ? `"${str.replace(/"/g, '""')}"` : str;
}

export function lowerOrUndef(s: unknown): string | undefined {
  return typeof s === 'string' && s.trim() !== '' ? s.trim().toLowerCase() : undefined;
}

export function strOrUndef(s: unknown): string | undefined {
  if (typeof s === 'number' || typeof s === 'boolean') return String(s);
  if (typeof s !== 'string') return undefined;
  const t = s.trim();
  return t !== '' && s !== '<null>' ? t : undefined;
}

export function numOrUndef(s: unknown): number | undefined {
  if (typeof s === 'number') return Number.isFinite(s) ? s : undefined;
  if (typeof s === 'string' && s.trim() !== '' && Number.isFinite(Number(s))) return Number(s);
  return undefined;
}

export function boolOrUndef(s: unknown): boolean | undefined {
  if (typeof s === 'boolean') return s;
  if (typeof s === 'string') {
    const v = s.trim().toLowerCase();
    if (v === 'true') return true;
    if (v === 'false') return false;
  }
  if (s === 1) return true;
  if (s === 0) return false;
  return undefined;
}
