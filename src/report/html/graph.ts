// The incident's entity graph as inline SVG. Layout is deterministic and computed here (no JS in the page):
// one column per kind of entity, in the order the takeover runs (where from -> accounts -> apps -> roles -> mail
// flow), rows ordered by a few barycentre sweeps so related nodes sit level and edges cross less. Ties break on
// the node id, so the same graph always gives the same picture. Big columns (a spray from 300 IPs) collapse
// their least involved nodes into one "+N more" node.
import type { EntityType } from '../../detect/alert.js';
import type { EntityGraph, GraphEdge, GraphNode } from '../types.js';
import { escapeHtml } from '../../core/text.js';
import { cut, list, num, oneOf, v, visible } from './escape.js';

export const COLUMNS: { title: string; types: EntityType[] }[] = [
  { title: 'Where from', types: ['ip', 'asn', 'device', 'session'] },
  { title: 'Accounts', types: ['user', 'tenant'] },
  { title: 'Apps', types: ['app', 'servicePrincipal'] },
  { title: 'Roles', types: ['role'] },
  { title: 'Mail flow', types: ['mailbox', 'inboxRule', 'connector', 'transportRule', 'domain'] },
];
const ALL_TYPES = COLUMNS.flatMap((c) => c.types);

export const MAX_PER_COLUMN = 10;
const NODE_W = 220;
const NODE_H = 38;
const ROW_GAP = 12;
const COL_GAP = 80;
const PAD = 16;
const TOP = 34; // room for the column titles

export interface PlacedNode {
  id: string;
  type: EntityType | 'more';
  label: string;
  alerts: string[];
  primary: boolean;
  /** for a "+N more" node: the ids it stands for */
  hidden?: string[];
  column: number;
  row: number;
  x: number;
  y: number;
}

export interface PlacedEdge {
  from: PlacedNode;
  to: PlacedNode;
  labels: string[];
  alerts: string[];
}

export interface GraphLayout {
  width: number;
  height: number;
  columns: { title: string; x: number }[];
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

function columnOf(type: unknown): number {
  const i = COLUMNS.findIndex((c) => (c.types as unknown[]).includes(type));
  return i < 0 ? 1 : i; // unknown types sit with the accounts; never dropped
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Pure, deterministic layout of an incident graph. */
export function layoutGraph(graph: EntityGraph): GraphLayout {
  const nodes = list(graph?.nodes).filter((n): n is GraphNode => !!n && typeof n.id === 'string');
  const seen = new Set<string>();
  const unique = nodes.filter((n) => (seen.has(n.id) ? false : (seen.add(n.id), true)));
  const degree = new Map<string, number>();
  for (const e of list(graph?.edges)) {
    degree.set(String(e?.from), (degree.get(String(e?.from)) ?? 0) + 1);
    degree.set(String(e?.to), (degree.get(String(e?.to)) ?? 0) + 1);
  }
  const importance = (n: GraphNode) => (n.primary ? 1e6 : 0) + list(n.alerts).length * 100 + (degree.get(n.id) ?? 0);

  // columns, with the least involved nodes of a crowded column folded into "+N more"
  const cols: PlacedNode[][] = COLUMNS.map(() => []);
  const alias = new Map<string, PlacedNode>();
  COLUMNS.forEach((_, ci) => {
    const members = unique.filter((n) => columnOf(n.type) === ci).sort((a, b) => importance(b) - importance(a) || byId(a, b));
    const keep = members.length > MAX_PER_COLUMN ? members.slice(0, MAX_PER_COLUMN - 1) : members;
    for (const n of keep) {
      const p: PlacedNode = { id: n.id, type: oneOf(n.type, ALL_TYPES, 'user'), label: typeof n.label === 'string' ? n.label : n.id, alerts: list(n.alerts).map(String), primary: n.primary === true, column: ci, row: 0, x: 0, y: 0 };
      cols[ci]!.push(p);
      alias.set(n.id, p);
    }
    const rest = members.slice(keep.length);
    if (rest.length) {
      const more: PlacedNode = { id: `more:${ci}`, type: 'more', label: `+${rest.length} more`, alerts: [...new Set(rest.flatMap((n) => list(n.alerts).map(String)))].sort(), primary: false, hidden: rest.map((n) => n.id), column: ci, row: 0, x: 0, y: 0 };
      cols[ci]!.push(more);
      for (const n of rest) alias.set(n.id, more);
    }
  });

  // edges between placed nodes; several edges folded onto one pair keep all their labels
  const pairs = new Map<string, PlacedEdge>();
  for (const e of list(graph?.edges) as GraphEdge[]) {
    const from = alias.get(String(e?.from));
    const to = alias.get(String(e?.to));
    if (!from || !to || from === to) continue;
    const [a, b] = from.column < to.column || (from.column === to.column && from.id <= to.id) ? [from, to] : [to, from];
    const key = `${a.id}\u0000${b.id}`;
    const pe = pairs.get(key) ?? { from: a, to: b, labels: [], alerts: [] };
    if (typeof e.label === 'string' && e.label && !pe.labels.includes(e.label)) pe.labels.push(e.label);
    for (const al of list(e.alerts)) if (!pe.alerts.includes(String(al))) pe.alerts.push(String(al));
    pairs.set(key, pe);
  }
  const edges = [...pairs.values()].sort((p, q) => byId(p.from, q.from) || byId(p.to, q.to));

  // row order: start by importance, then barycentre sweeps (left->right, right->left), stable on ties
  const neighbours = new Map<PlacedNode, PlacedNode[]>();
  for (const e of edges) {
    neighbours.set(e.from, [...(neighbours.get(e.from) ?? []), e.to]);
    neighbours.set(e.to, [...(neighbours.get(e.to) ?? []), e.from]);
  }
  const renumber = () => cols.forEach((c) => c.forEach((n, i) => (n.row = i - (c.length - 1) / 2)));
  renumber();
  const used = cols.map((c, i) => (c.length ? i : -1)).filter((i) => i >= 0);
  const sweep = (order: number[]) => {
    for (const ci of order) {
      const col = cols[ci]!;
      const bary = new Map<PlacedNode, number>();
      for (const n of col) {
        const ns = (neighbours.get(n) ?? []).filter((m) => m.column !== ci);
        bary.set(n, ns.length ? ns.reduce((s, m) => s + m.row, 0) / ns.length : n.row);
      }
      col.sort((a, b) => bary.get(a)! - bary.get(b)! || a.row - b.row);
      col.forEach((n, i) => (n.row = i - (col.length - 1) / 2));
    }
  };
  for (let pass = 0; pass < 3; pass++) {
    sweep(used);
    sweep([...used].reverse());
  }

  // coordinates: used columns side by side, each centred vertically
  const tallest = Math.max(1, ...cols.map((c) => c.length));
  const height = TOP + tallest * NODE_H + (tallest - 1) * ROW_GAP + PAD * 2;
  const columns: { title: string; x: number }[] = [];
  used.forEach((ci, k) => {
    const x = PAD + k * (NODE_W + COL_GAP);
    columns.push({ title: COLUMNS[ci]!.title, x });
    const col = cols[ci]!;
    const y0 = TOP + PAD + ((tallest - col.length) * (NODE_H + ROW_GAP)) / 2;
    col.forEach((n, i) => {
      n.x = x;
      n.y = y0 + i * (NODE_H + ROW_GAP);
    });
  });
  const loops = edges.some((e) => e.from.column === e.to.column) ? 70 : 0; // same-column edges bulge out to the right
  const width = Math.max(NODE_W + PAD * 2, PAD * 2 + used.length * NODE_W + (used.length - 1) * COL_GAP) + loops;
  return { width, height, columns, nodes: used.flatMap((ci) => cols[ci]!), edges };
}

/** Text for an SVG <text>/<title>: escaped, hidden characters visible, cut. (No HTML elements inside SVG text.) */
function svgText(s: string, max: number): string {
  const vis = visible(s);
  return escapeHtml(vis.length > max ? cut(vis, max - 1) + '…' : vis);
}

const TYPE_LABEL: Record<string, string> = {
  servicePrincipal: 'service principal', transportRule: 'transport rule', inboxRule: 'inbox rule', more: 'more',
};
const typeLabel = (type: string) => (Object.hasOwn(TYPE_LABEL, type) ? TYPE_LABEL[type]! : type);

function edgePath(e: PlacedEdge): string {
  const { from: a, to: b } = e;
  if (a.column === b.column) {
    // same column: a loop out to the right
    const x = a.x + NODE_W;
    const y1 = a.y + NODE_H / 2;
    const y2 = b.y + NODE_H / 2;
    const bulge = 30 + Math.min(40, Math.abs(y2 - y1) / 4);
    return `M${num(x)} ${num(y1)}C${num(x + bulge)} ${num(y1)} ${num(x + bulge)} ${num(y2)} ${num(x)} ${num(y2)}`;
  }
  const x1 = a.x + NODE_W;
  const y1 = a.y + NODE_H / 2;
  const x2 = b.x;
  const y2 = b.y + NODE_H / 2;
  const mx = (x1 + x2) / 2;
  return `M${num(x1)} ${num(y1)}C${num(mx)} ${num(y1)} ${num(mx)} ${num(y2)} ${num(x2)} ${num(y2)}`;
}

/** The graph as an SVG element (or a sentence when it is empty). */
export function renderGraphSvg(graph: EntityGraph): string {
  const g = layoutGraph(graph);
  if (!g.nodes.length) return '<p class="tw-muted">No entities.</p>';
  const out: string[] = [];
  out.push(`<svg class="tw-svg tw-graph" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${num(g.width)} ${num(g.height)}" width="${num(g.width)}" height="${num(g.height)}" role="img" aria-label="Entity graph: ${g.nodes.length} entities, ${g.edges.length} relations">`);
  for (const c of g.columns) out.push(`<text class="tw-col-label" x="${num(c.x)}" y="${num(PAD + 10)}">${escapeHtml(c.title)}</text>`);
  for (const e of g.edges) {
    const tip = `${e.from.label} — ${e.to.label}${e.labels.length ? `: ${e.labels.join('; ')}` : ''}`;
    out.push(`<path class="tw-edge" d="${edgePath(e)}"><title>${svgText(tip, 400)}</title></path>`);
  }
  for (const n of g.nodes) {
    const cls = `tw-node tw-t-${n.type}${n.primary ? ' tw-primary' : ''}`;
    const kind = typeLabel(n.type);
    const tip = `${kind}: ${n.label}${n.id !== n.label && n.type !== 'more' ? ` (${n.id.replace(/^[^:]*:/, '')})` : ''} — ${n.alerts.length} alert${n.alerts.length === 1 ? '' : 's'}${n.primary ? ', containment target' : ''}`;
    out.push(`<g class="${cls}"><title>${svgText(tip, 600)}</title>`);
    // a nested <svg> is a viewport: it clips a label that is wider than its box, whatever the glyphs
    out.push(`<svg x="${num(n.x)}" y="${num(n.y)}" width="${NODE_W}" height="${NODE_H}"><rect x="2" y="2" width="${NODE_W - 4}" height="${NODE_H - 4}" rx="6"/>`);
    out.push(`<text class="tw-node-type" x="9" y="13">${escapeHtml(kind)}${n.primary ? ' ★' : ''}</text>`);
    out.push(`<text x="9" y="29">${svgText(n.label, 26)}</text></svg></g>`);
  }
  out.push('</svg>');
  return out.join('');
}

/** The same relations as a table, for reading, searching and copying (and for entities folded into "+N more"). */
export function renderGraphTable(graph: EntityGraph, alertLink: (id: string) => string): string {
  const nodes = new Map(list(graph?.nodes).filter((n) => !!n).map((n) => [String(n.id), n]));
  const name = (id: string) => {
    const n = nodes.get(id);
    return n ? `<span class="tw-chip">${escapeHtml(typeLabel(oneOf(n.type, ALL_TYPES, 'user')))}</span>${v(n.label, 120)}` : v(id, 120);
  };
  const rows = list(graph?.edges).filter((e) => !!e).map((e) => `<tr><td>${name(String(e.from))}</td><td>${name(String(e.to))}</td><td>${v(e.label, 300)}</td><td>${list(e.alerts).map((a) => alertLink(String(a))).join(' ')}</td></tr>`);
  if (!rows.length) return '';
  return `<details class="tw-raw"><summary>Relations as a table (${rows.length})</summary><table><thead><tr><th>From</th><th>To</th><th>What the alerts say</th><th>Alerts</th></tr></thead><tbody>${rows.join('')}</tbody></table></details>`;
}
