// Quoting for the commands the containment checklist prints. Every identifier in them came from a log and is
// attacker-controlled: an app named `x'; Remove-Mailbox -Identity * #` must stay one string argument.

/** Characters PowerShell accepts as a single quote inside a single-quoted string: ' ‘ ’ ‚ ‛ */
const PS_SINGLE_QUOTES = /['\u2018\u2019\u201A\u201B]/g;

/** Control characters (C0, DEL, C1) and the line/paragraph separators: never placed in a printed command. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

export function hasControlChars(s: string): boolean {
  return CONTROL.test(s);
}

/**
 * A PowerShell single-quoted string literal. Inside single quotes PowerShell expands nothing ($, `, " are
 * literal); the only escape is doubling a quote character, and PowerShell treats the typographic quotes ‘ ’ ‚ ‛
 * as quotes too, so each of them is doubled as well.
 */
export function psQuote(s: string): string {
  if (hasControlChars(s)) throw new Error('psQuote: identifier holds control characters');
  return `'${s.replace(PS_SINGLE_QUOTES, (q) => q + q)}'`;
}

/** An OData string literal's content: single quotes doubled. */
export function odataString(s: string): string {
  return s.replace(/'/g, "''");
}

/**
 * One URL path segment or query value: encodeURIComponent plus the characters it leaves alone that OData and
 * Graph give meaning to in paths (' ( ) * !), so an identifier can never close a key or start a function call.
 */
export function urlPart(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `(appId='<value>')`: an OData alternate-key segment with the value quoted and encoded. */
export function odataKey(name: string, value: string): string {
  return `(${name}='${urlPart(odataString(value))}')`;
}

/** `?$filter=<expr>` with `field eq '<value>'`, encoded. */
export function odataFilterEq(field: string, value: string): string {
  return `?$filter=${urlPart(`${field} eq '${odataString(value)}'`)}`;
}
