import { resolve, valueOf, type JsonSchema, type OpenApiDocument, type Posted } from './forms';

/**
 * What the browser posted, as the body the API takes: dotted names nest, numbered ones make
 * lists (rows left empty are dropped), boxes ticked under one name make a list, a date's day,
 * month and year make YYYY-MM-DD, yes and no are booleans, numbers are numbers, and what was left
 * empty is absent, as an API client leaves it.
 */
export function bodyFrom(schema: JsonSchema, posted: Posted, doc: OpenApiDocument): Record<string, unknown> {
  return (build(doc, schema, '', posted) as Record<string, unknown> | undefined) ?? {};
}

function build(doc: OpenApiDocument, raw: JsonSchema, name: string, posted: Posted): unknown {
  const schema = resolve(doc, raw);
  if (schema.type === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, property] of Object.entries(schema.properties ?? {})) {
      const value = build(doc, property, name ? `${name}.${key}` : key, posted);
      if (value !== undefined) out[key] = value;
    }
    return Object.keys(out).length ? out : undefined;
  }
  if (schema.type === 'array' && schema.items) {
    const items = resolve(doc, schema.items);
    // Boxes ticked (a list's codes, or picks the page offered: the case's documents) post the
    // list's own name once for each.
    const ticked = posted[name];
    if (items.enum || (items.type === 'string' && ticked !== undefined)) {
      return ticked === undefined ? undefined : Array.isArray(ticked) ? ticked : [ticked];
    }
    const rows: unknown[] = [];
    for (let i = 0; i < (schema.maxItems ?? 10); i++) {
      const row = build(doc, items, `${name}.${i}`, posted);
      if (row !== undefined) rows.push(row);
    }
    return rows.length ? rows : undefined;
  }
  if (schema.type === 'string' && schema.format === 'date') {
    const [day, month, year] = ['day', 'month', 'year'].map((part) => (valueOf(posted, `${name}[${part}]`) ?? '').trim());
    if (!day && !month && !year) return undefined;
    // Not checked here: a date that is not a date reaches the API's schema, which says so.
    return `${year.padStart(4, '0')}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  }
  const value = valueOf(posted, name);
  if (value === undefined || value.trim() === '') return undefined;
  if (schema.type === 'boolean') return value === 'true' ? true : value === 'false' ? false : value;
  if (schema.type === 'number' || schema.type === 'integer') return /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;
  return value;
}
