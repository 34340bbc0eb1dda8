// A small JSON Schema (draft 2020-12) checker for the keywords docs/alert.schema.json uses, so tests can hold
// every alert against the published contract without a dependency. Unknown keywords are an error, not ignored.
type S = Record<string, unknown>;

const ANNOTATIONS = new Set(['$schema', '$id', 'title', 'description', '$defs', 'format']);
const KEYWORDS = new Set([
  '$ref', 'type', 'required', 'properties', 'additionalProperties', 'enum', 'const', 'pattern', 'minLength', 'minItems',
  'maxItems', 'items', 'minimum', 'anyOf',
]);

function typeOk(t: string, v: unknown): boolean {
  switch (t) {
    case 'object': return typeof v === 'object' && v !== null && !Array.isArray(v);
    case 'array': return Array.isArray(v);
    case 'string': return typeof v === 'string';
    case 'integer': return Number.isInteger(v);
    case 'number': return typeof v === 'number' && Number.isFinite(v);
    case 'boolean': return typeof v === 'boolean';
    case 'null': return v === null;
    default: throw new Error(`schema: unknown type ${t}`);
  }
}

/** Problems of `value` against `schema` (root holds $defs); empty = valid. */
export function validate(root: S, value: unknown, schema: S = root, at = '$'): string[] {
  const out: string[] = [];
  for (const k of Object.keys(schema)) if (!KEYWORDS.has(k) && !ANNOTATIONS.has(k)) throw new Error(`schema: keyword ${k} not supported at ${at}`);
  if (typeof schema.$ref === 'string') {
    const name = /^#\/\$defs\/(.+)$/.exec(schema.$ref)?.[1];
    const target = name ? (root.$defs as Record<string, S>)[name] : undefined;
    if (!target) throw new Error(`schema: unresolvable $ref ${schema.$ref}`);
    out.push(...validate(root, value, target, at));
  }
  if (typeof schema.type === 'string' && !typeOk(schema.type, value)) return [...out, `${at}: expected ${schema.type}`];
  if ('const' in schema && JSON.stringify(schema.const) !== JSON.stringify(value)) out.push(`${at}: expected ${JSON.stringify(schema.const)}`);
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) out.push(`${at}: ${JSON.stringify(value)} not in enum`);
  if (typeof value === 'string') {
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) out.push(`${at}: "${value}" does not match ${schema.pattern}`);
    if (typeof schema.minLength === 'number' && value.length < schema.minLength) out.push(`${at}: shorter than ${schema.minLength}`);
  }
  if (typeof value === 'number' && typeof schema.minimum === 'number' && value < schema.minimum) out.push(`${at}: below ${schema.minimum}`);
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) out.push(`${at}: fewer than ${schema.minItems} items`);
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) out.push(`${at}: more than ${schema.maxItems} items`);
    if (schema.items) value.forEach((v, i) => out.push(...validate(root, v, schema.items as S, `${at}[${i}]`)));
  }
  if (Array.isArray(schema.anyOf) && !schema.anyOf.some((s) => validate(root, value, s as S, at).length === 0)) out.push(`${at}: matches none of anyOf`);
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    for (const r of (schema.required as string[] | undefined) ?? []) if (!(r in obj)) out.push(`${at}: missing ${r}`);
    const props = (schema.properties as Record<string, S> | undefined) ?? {};
    for (const [k, v] of Object.entries(obj)) {
      if (props[k]) out.push(...validate(root, v, props[k], `${at}.${k}`));
      else if (schema.additionalProperties === false) out.push(`${at}: unexpected property ${k}`);
      else if (typeof schema.additionalProperties === 'object') out.push(...validate(root, v, schema.additionalProperties as S, `${at}.${k}`));
    }
  }
  return out;
}
