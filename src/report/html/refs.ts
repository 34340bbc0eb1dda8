// In-page references. Anchors are numbered by the renderer ("alert-3", "inc-1"): ids that came from the report
// never become an id= or href= value, so the only links in the page are "#..." fragments this module made.
import { escapeHtml } from '../../core/text.js';
import type { HuntReport } from '../types.js';
import { list, v } from './escape.js';

export class Refs {
  private readonly alerts = new Map<string, string>();
  private readonly incidents = new Map<string, string>();
  /** characters of raw records the page may still embed (keeps a hunt with thousands of alerts openable) */
  rawBudget: number;

  constructor(report: HuntReport, rawBudget = Infinity) {
    this.rawBudget = rawBudget;
    list(report.alerts).forEach((a, i) => {
      if (a && typeof a.id === 'string' && !this.alerts.has(a.id)) this.alerts.set(a.id, `alert-${i + 1}`);
    });
    list(report.incidents).forEach((inc, i) => {
      if (inc && typeof inc.id === 'string' && !this.incidents.has(inc.id)) this.incidents.set(inc.id, `inc-${i + 1}`);
    });
  }

  alertAnchor(id: string): string | undefined {
    return this.alerts.get(id);
  }

  incidentAnchor(id: string): string | undefined {
    return this.incidents.get(id);
  }

  /** A link to the alert's details (or its id as text when the report does not hold it). */
  alertLink = (id: string): string => {
    const a = this.alerts.get(id);
    const label = `<code>${v(id, 40)}</code>`;
    return a ? `<a href="#${escapeHtml(a)}">${label}</a>` : label;
  };

  incidentLink = (id: string): string => {
    const a = this.incidents.get(id);
    const label = `<code>${v(id, 60)}</code>`;
    return a ? `<a href="#${escapeHtml(a)}">${label}</a>` : label;
  };
}
