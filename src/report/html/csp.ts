// The report's Content-Security-Policy. The page has no script at all and loads nothing: everything is inline.
// default-src 'none' forbids scripts, frames, fetches, fonts and media; the one inline stylesheet is allowed by its
// SHA-256 hash (so style="" attributes and injected <style> elements are refused); images only as data: URLs;
// <base> and form submission are off. A meta CSP cannot carry frame-ancestors/report-uri/sandbox: those need HTTP
// headers, which a file opened from disk does not have.
import { createHash } from 'node:crypto';

export function styleHash(css: string): string {
  return `'sha256-${createHash('sha256').update(css, 'utf8').digest('base64')}'`;
}

export function contentSecurityPolicy(css: string): string {
  return [
    "default-src 'none'",
    `style-src ${styleHash(css)}`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}
