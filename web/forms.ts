import type { FieldProblem } from '../api/errors';

/**
 * Forms from the API's own OpenAPI document: a request body's schema (the zod schema the API
 * validates with, as zod-to-openapi wrote it) becomes the design system's fields, and what the
 * browser posts becomes that body again, so a page checks exactly what the API checks and shows
 * each problem beside its field.
 */

export interface JsonSchema {
  $ref?: string;
  type?: string;
  format?: string;
  /** Strings mostly; a literal of another type (`z.literal(true)`) is an enum of one. */
  enum?: (string | number | boolean)[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  description?: string;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  nullable?: boolean;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: JsonSchema }> } }>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

export type FieldKind = 'text' | 'email' | 'textarea' | 'date' | 'number' | 'boolean' | 'choice' | 'choices' | 'group' | 'rows';

export interface Field {
  kind: FieldKind;
  /** The field's path in the body, dotted (`complainant.name`, `youSaidWeDid.0.youSaid`). */
  name: string;
  /** Its element id: what the error summary links to. */
  id: string;
  label: string;
  hint?: string;
  optional: boolean;
  value?: string | string[];
  /** A date's three parts, as typed. */
  date?: { day: string; month: string; year: string };
  options?: { value: string; text: string }[];
  children?: Field[];
  /** Repeated groups (an array of objects): one list of fields a row. */
  rows?: Field[][];
  error?: string;
  /** A choice shown as a select list however few its options (a picker of people). */
  select?: boolean;
}

export interface FormOptions {
  /** Fields of the body the page leaves out (filled by the page, or not asked here). */
  omit?: string[];
  /** Better words than the field's name, by dotted path without row numbers (`youSaidWeDid.youSaid`). */
  labels?: Record<string, string>;
  /** Rows shown for a list of groups when nothing was typed yet (default 3, at most maxItems). */
  rows?: number;
  /** The words for a choice's values where its codes are not words (KO41a's), by field. */
  choices?: Record<string, Record<string, string>>;
  /**
   * Fields picked from a list the page gives (people from the staff directory, the case's
   * documents), by dotted path without row numbers: a select of these values whatever the
   * schema's type, or a box to tick for each when the field is a list.
   */
  pick?: Record<string, { value: string; text: string }[]>;
  /** Hints in the process's words rather than the schema's description, by dotted path without row numbers. */
  hints?: Record<string, string>;
  /** What a field holds before anything is posted, by dotted path without row numbers. */
  defaults?: Record<string, string>;
}

/** A page's form options, fixed or worked out for the request (a picker's people). */
export type FormFor<R> = FormOptions | ((req: R) => Promise<FormOptions>);

/** The form a page posts, flat as the browser sends it (`name` → value, or values when repeated). */
export type Posted = Record<string, string | string[] | undefined>;

/** Words the NHS writes in capitals. */
const ACRONYMS = new Set(['nhs', 'ods', 'mp', 'pals', 'bsl', 'cqrg', 'pas', 'fft', 'ko41a', 'rag', 'phso']);

/** `acknowledgedOn` → `Acknowledged on`; `large_print` → `Large print`; `mp` → `MP`. */
export function humanise(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase()
    .trim()
    .split(/\s+/)
    .map((w) => (ACRONYMS.has(w) ? w.toUpperCase() : w))
    .join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function fieldId(name: string): string {
  return `f-${name.replace(/[^A-Za-z0-9]+/g, '-')}`;
}

/** The request body schema of `method path` in the document, its references resolved. */
export function requestSchema(doc: OpenApiDocument, method: string, path: string): JsonSchema {
  const schema = doc.paths[path]?.[method.toLowerCase()]?.requestBody?.content['application/json']?.schema;
  if (!schema) throw new Error(`the OpenAPI document has no JSON body for ${method} ${path}`);
  return resolve(doc, schema);
}

export function resolve(doc: OpenApiDocument, schema: JsonSchema): JsonSchema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace('#/components/schemas/', '');
  const found = doc.components?.schemas?.[name];
  if (!found) throw new Error(`the OpenAPI document has no schema ${name}`);
  return resolve(doc, found);
}

export const valueOf = (posted: Posted, name: string): string | undefined => {
  const v = posted[name];
  return Array.isArray(v) ? v[0] : v;
};

/** The fields of an object schema, filled with what was posted and the problems found. */
export function formFields(doc: OpenApiDocument, schema: JsonSchema, posted: Posted, problems: FieldProblem[], opts: FormOptions = {}): Field[] {
  const errors = new Map(problems.map((p) => [p.field.replace(/^body\.?/, ''), p.reason]));
  // zod's words for a field left empty are a programmer's; the form's say what to do.
  for (const [name, reason] of errors) if (/received undefined$/.test(reason)) errors.set(name, MISSING);
  return objectFields(doc, schema, '', posted, errors, opts);
}

function objectFields(doc: OpenApiDocument, schema: JsonSchema, prefix: string, posted: Posted, errors: Map<string, string>, opts: FormOptions): Field[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {})
    .filter(([key]) => !opts.omit?.includes(prefix + key) && !opts.omit?.includes(labelKey(prefix + key)))
    .map(([key, property]) => field(doc, resolve(doc, property), prefix + key, !required.has(key) || property.default !== undefined, posted, errors, opts));
}

/** `youSaidWeDid.0.youSaid` → `youSaidWeDid.youSaid`, the key labels are given by. */
const labelKey = (name: string) => name.replace(/\.\d+(?=\.|$)/g, '');

const isEmpty = (f: Field) =>
  f.kind === 'date' ? !f.date?.day && !f.date?.month && !f.date?.year : f.kind === 'choices' ? !f.value?.length : ['text', 'email', 'textarea', 'number', 'choice', 'boolean'].includes(f.kind) && !f.value;

const MISSING = '\u0000missing';

/** What to do about a field left empty, in the design system's words. */
function missing(kind: FieldKind, label: string): string {
  const what = label.charAt(0).toLowerCase() + label.slice(1);
  if (kind === 'choice' || kind === 'boolean') return `Select ${what.replace(/\?$/, '')}`;
  if (kind === 'choices' || kind === 'rows') return `Add ${what}`;
  return `Enter ${what}`;
}

function field(doc: OpenApiDocument, schema: JsonSchema, name: string, optional: boolean, posted: Posted, errors: Map<string, string>, opts: FormOptions): Field {
  const made = makeField(doc, schema, name, optional, posted, errors, opts);
  // Whatever zod says of a field left empty ("expected string", "invalid option"), the form says what to do.
  return made.error && (made.error === MISSING || isEmpty(made)) ? { ...made, error: missing(made.kind, made.label) } : made;
}

function makeField(doc: OpenApiDocument, schema: JsonSchema, name: string, optional: boolean, posted: Posted, errors: Map<string, string>, opts: FormOptions): Field {
  const base = {
    name,
    id: fieldId(name),
    label: opts.labels?.[labelKey(name)] ?? humanise(name.split('.').at(-1)!),
    hint: opts.hints?.[labelKey(name)] ?? schema.description?.replace(/`/g, ''),
    optional,
    error: errors.get(name),
  };
  const picks = opts.pick?.[labelKey(name)];
  if (picks) {
    // A problem with one of the picks (`documents.1`: not this case's) is said beside the picker.
    const error = base.error ?? [...errors].find(([key]) => isPickOf(name, key))?.[1];
    if (schema.type === 'array') {
      const value = posted[name];
      return { ...base, error, kind: 'choices', options: picks, value: Array.isArray(value) ? value : value ? [value] : [] };
    }
    return { ...base, error, kind: 'choice', select: true, options: picks, value: valueOf(posted, name) ?? opts.defaults?.[labelKey(name)] };
  }
  if (schema.type === 'object') {
    const children = objectFields(doc, schema, `${name}.`, posted, errors, opts);
    // A problem with the group itself (a rule across its fields) shows on the group.
    return { ...base, kind: 'group', children };
  }
  if (schema.type === 'array' && schema.items) {
    const items = resolve(doc, schema.items);
    if (items.enum) {
      const value = posted[name];
      return { ...base, kind: 'choices', options: items.enum.map(String).map((v) => ({ value: v, text: humanise(v) })), value: Array.isArray(value) ? value : value ? [value] : [] };
    }
    const typed = Object.keys(posted)
      .map((key) => key.startsWith(`${name}.`) ? Number(key.slice(name.length + 1).split('.')[0]) : -1)
      .filter((n) => Number.isInteger(n) && n >= 0);
    const max = schema.maxItems ?? 10;
    const count = Math.min(max, Math.max(opts.rows ?? 3, schema.minItems ?? 1, typed.length ? Math.max(...typed) + 1 : 0));
    const rows = Array.from({ length: count }, (_, i) =>
      items.type === 'object' ? objectFields(doc, items, `${name}.${i}.`, posted, errors, opts) : [field(doc, items, `${name}.${i}`, true, posted, errors, opts)],
    );
    return { ...base, kind: 'rows', rows, hint: base.hint ?? (schema.minItems ? `At least ${schema.minItems}; leave the rows you do not need empty` : 'Leave the rows you do not need empty') };
  }
  // Before enums: a boolean the schema allows one answer to (`z.literal(true)`, an extension's
  // agreement) carries `enum: [true]`; it is still a yes/no question, and "no" gets the schema's reason.
  if (schema.type === 'boolean') {
    const value = valueOf(posted, name) ?? (schema.default === undefined ? undefined : String(schema.default));
    return { ...base, kind: 'boolean', options: [{ value: 'true', text: 'Yes' }, { value: 'false', text: 'No' }], value };
  }
  if (schema.enum) {
    const words = opts.choices?.[labelKey(name)];
    return { ...base, kind: 'choice', options: schema.enum.map(String).map((v) => ({ value: v, text: words?.[v] ?? humanise(v) })), value: valueOf(posted, name) ?? (schema.default as string | undefined) };
  }
  if (schema.type === 'string' && schema.format === 'date') {
    return { ...base, kind: 'date', date: { day: valueOf(posted, `${name}[day]`) ?? '', month: valueOf(posted, `${name}[month]`) ?? '', year: valueOf(posted, `${name}[year]`) ?? '' } };
  }
  if (schema.type === 'number' || schema.type === 'integer') return { ...base, kind: 'number', value: valueOf(posted, name) };
  if (schema.format === 'email') return { ...base, kind: 'email', value: valueOf(posted, name) };
  return { ...base, kind: (schema.maxLength ?? 0) > 300 ? 'textarea' : 'text', value: valueOf(posted, name) };
}

/** Where the error summary takes you for a problem: the field, or a date's first part. */
export function problemLinks(fields: Field[]): { text: string; href: string }[] {
  const out: { text: string; href: string }[] = [];
  const walk = (list: Field[]) => {
    for (const f of list) {
      // The design system's own words ("Enter …") stand alone; the API's rules are said of their field.
      if (f.error) out.push({ text: /^(Enter|Select|Add) /.test(f.error) ? f.error : `${f.label}: ${f.error}`, href: `#${f.kind === 'date' ? `${f.id}-day` : f.id}` });
      if (f.children) walk(f.children);
      for (const row of f.rows ?? []) walk(row);
    }
  };
  walk(fields);
  return out;
}

/** `documents.1` is one of the picks of `documents` (a list picked by ticking, or the one picked named as a list by the API). */
const isPickOf = (name: string, key: string) => key.startsWith(`${name}.`) && /^\d+$/.test(key.slice(name.length + 1));

/** Whether a problem (its field's dotted path) is shown beside one of the fields, not only in the summary. */
export function shownBeside(fields: Field[], problem: string): boolean {
  return fields.some(
    (f) => f.name === problem || (!!f.error && (f.kind === 'choice' || f.kind === 'choices') && isPickOf(f.name, problem)) || (!!f.children && shownBeside(f.children, problem)) || (f.rows ?? []).some((row) => shownBeside(row, problem)),
  );
}

export function fieldNames(fields: Field[], into = new Set<string>()): Set<string> {
  for (const f of fields) {
    into.add(f.name);
    if (f.children) fieldNames(f.children, into);
    for (const row of f.rows ?? []) fieldNames(row, into);
  }
  return into;
}
