/**
 * Validation, cost calculation and execution of a parsed GraphQL document against a small schema
 * description. Just enough of the spec for the Shopify simulator: object/interface/union/enum/scalar/
 * input types, arguments and variables with coercion, fragments, @include/@skip, aliases. Error texts
 * follow what Shopify's Admin API answers (webshop-api.md §2), so a client's mistakes look the same here.
 */
import {
  parseDocument, GraphqlSyntaxError, type DocumentNode, type FieldNode, type FragmentNode, type Location, type OperationNode,
  type SelectionNode, type ValueNode,
} from './parse.js';

export type TypeRef = string;

export interface FieldDef {
  type: TypeRef;
  args?: Record<string, TypeRef>;
  /** Default: `parent[fieldName]`. */
  resolve?: (parent: any, args: Record<string, any>, ctx: ExecContext) => unknown;
}

export type TypeDef =
  | { kind: 'OBJECT'; fields: Record<string, FieldDef>; interfaces?: string[] }
  | { kind: 'INTERFACE'; fields: Record<string, FieldDef>; possibleTypes: string[]; resolveType: (value: any) => string }
  | { kind: 'UNION'; possibleTypes: string[]; resolveType: (value: any) => string }
  | { kind: 'SCALAR' }
  | { kind: 'ENUM'; values: readonly string[] }
  | { kind: 'INPUT_OBJECT'; fields: Record<string, TypeRef> };

export interface Schema {
  types: Record<string, TypeDef>;
  query: string;
  mutation?: string;
}

export interface GraphqlError {
  message: string;
  locations?: Location[];
  path?: (string | number)[];
  extensions?: Record<string, unknown>;
}

export interface ExecContext {
  /** Filled by resolvers (e.g. search warnings) and returned under `extensions`. */
  extensions: Record<string, unknown>;
}

/** A user-facing error from a resolver (bad cursor, bad argument value): the field becomes null. */
export class FieldError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

interface ParsedType {
  name?: string;
  list?: ParsedType;
  nonNull: boolean;
}

const typeCache = new Map<string, ParsedType>();
export function parseTypeRef(ref: TypeRef): ParsedType {
  let t = typeCache.get(ref);
  if (t) return t;
  let s = ref.trim();
  let nonNull = false;
  if (s.endsWith('!')) {
    nonNull = true;
    s = s.slice(0, -1);
  }
  t = s.startsWith('[') ? { list: parseTypeRef(s.slice(1, -1)), nonNull } : { name: s, nonNull };
  typeCache.set(ref, t);
  return t;
}

function namedType(t: ParsedType): string {
  return t.name ?? namedType(t.list!);
}

function showType(t: ParsedType): string {
  return (t.name ?? `[${showType(t.list!)}]`) + (t.nonNull ? '!' : '');
}

const BUILTIN_SCALARS = new Set(['String', 'Int', 'Float', 'Boolean', 'ID']);

export interface PreparedOperation {
  doc: DocumentNode;
  op: OperationNode;
  variables: Record<string, unknown>;
  rootType: string;
}

export type Prepared = { ok: true; prepared: PreparedOperation } | { ok: false; errors: GraphqlError[] };

/** Parse, pick the operation, validate the selections against the schema and coerce the variables. */
export function prepare(schema: Schema, query: string, variables: Record<string, unknown> | undefined, operationName?: string): Prepared {
  let doc: DocumentNode;
  try {
    doc = parseDocument(query);
  } catch (e) {
    if (e instanceof GraphqlSyntaxError) return { ok: false, errors: [{ message: e.message, locations: [e.loc] }] };
    throw e;
  }
  const ops = operationName ? doc.operations.filter((o) => o.name === operationName) : doc.operations;
  if (ops.length === 0) return { ok: false, errors: [{ message: operationName ? `No operation named "${operationName}"` : 'No operations in query document' }] };
  if (ops.length > 1) return { ok: false, errors: [{ message: 'An operation name is required' }] };
  const op = ops[0]!;
  const rootType = op.operation === 'mutation' ? schema.mutation : op.operation === 'query' ? schema.query : undefined;
  if (!rootType) return { ok: false, errors: [{ message: `Schema is not configured for ${op.operation}s`, locations: [op.loc] }] };

  const errors: GraphqlError[] = [];
  const declared = new Map(op.variables.map((v) => [v.name, v]));
  const used = new Set<string>();
  const noteVars = (v: ValueNode) => {
    if (v.kind === 'Variable') used.add(v.name);
    else if (v.kind === 'List') v.values.forEach(noteVars);
    else if (v.kind === 'Object') v.fields.forEach((f) => noteVars(f.value));
  };
  const visiting = new Set<string>();
  const validate = (typeName: string, selections: SelectionNode[], path: string[]) => {
    const def = schema.types[typeName]!;
    for (const sel of selections) {
      for (const d of sel.directives) for (const a of d.args.values()) noteVars(a);
      if (sel.kind === 'FragmentSpread') {
        const frag = doc.fragments.get(sel.name);
        if (!frag) {
          errors.push({ message: `Fragment ${sel.name} was used, but not defined`, locations: [sel.loc], path, extensions: { code: 'useAndDefineFragment', fragmentName: sel.name } });
          continue;
        }
        if (!checkCondition(frag.typeCondition, typeName, sel.loc, path)) continue;
        if (visiting.has(sel.name)) continue;
        visiting.add(sel.name);
        validate(frag.typeCondition, frag.selections, path);
        visiting.delete(sel.name);
        continue;
      }
      if (sel.kind === 'InlineFragment') {
        const cond = sel.typeCondition ?? typeName;
        if (!checkCondition(cond, typeName, sel.loc, path)) continue;
        validate(cond, sel.selections, path);
        continue;
      }
      const fieldPath = [...path, sel.alias ?? sel.name];
      for (const a of sel.args.values()) noteVars(a);
      if (sel.name === '__typename') continue;
      const fields = def.kind === 'OBJECT' || def.kind === 'INTERFACE' ? def.fields : {};
      const field = fields[sel.name];
      if (!field) {
        errors.push({ message: `Field '${sel.name}' doesn't exist on type '${typeName}'`, locations: [sel.loc], path: fieldPath, extensions: { code: 'undefinedField', typeName, fieldName: sel.name } });
        continue;
      }
      for (const arg of sel.args.keys()) {
        if (!field.args || !(arg in field.args)) {
          errors.push({ message: `Field '${sel.name}' doesn't accept argument '${arg}'`, locations: [sel.loc], path: fieldPath, extensions: { code: 'argumentNotAccepted', name: sel.name, typeName: 'Field', argumentName: arg } });
        }
      }
      const missing = Object.entries(field.args ?? {}).filter(([a, t]) => parseTypeRef(t).nonNull && !sel.args.has(a)).map(([a]) => a);
      if (missing.length) {
        errors.push({ message: `Field '${sel.name}' is missing required arguments: ${missing.join(', ')}`, locations: [sel.loc], path: fieldPath, extensions: { code: 'missingRequiredArguments', className: 'Field', name: sel.name, arguments: missing.join(', ') } });
      }
      const t = parseTypeRef(field.type);
      const inner = namedType(t);
      const innerDef = schema.types[inner];
      if (!innerDef) throw new Error(`schema: unknown type ${inner}`);
      const leaf = innerDef.kind === 'SCALAR' || innerDef.kind === 'ENUM';
      if (leaf && sel.selections) {
        errors.push({ message: `Selections can't be made on scalars (field '${sel.name}' returns ${inner} but has selections [${sel.selections.map((s) => (s.kind === 'Field' ? s.name : '...')).join(', ')}])`, locations: [sel.loc], path: fieldPath, extensions: { code: 'selectionMismatch', nodeName: `field '${sel.name}'`, typeName: inner } });
      } else if (!leaf && !sel.selections) {
        errors.push({ message: `Field must have selections (field '${sel.name}' returns ${inner} but has no selections. Did you mean '${sel.name} { ... }'?)`, locations: [sel.loc], path: fieldPath, extensions: { code: 'selectionMismatch', nodeName: `field '${sel.name}'`, typeName: inner } });
      } else if (!leaf) {
        validate(inner, sel.selections!, fieldPath);
      }
    }
  };
  const checkCondition = (cond: string, parent: string, loc: Location, path: string[]): boolean => {
    const c = schema.types[cond];
    if (!c || (c.kind !== 'OBJECT' && c.kind !== 'INTERFACE' && c.kind !== 'UNION')) {
      errors.push({ message: `No such type ${cond}, so it can't be a fragment condition`, locations: [loc], path, extensions: { code: 'undefinedType', typeName: cond } });
      return false;
    }
    if (!possible(schema, cond).some((x) => possible(schema, parent).includes(x))) {
      errors.push({ message: `Fragment on ${cond} can't be spread inside ${parent}`, locations: [loc], path, extensions: { code: 'cannotSpreadFragment', typeName: cond } });
      return false;
    }
    return true;
  };
  const spread = new Set<string>();
  const noteSpreads = (selections: SelectionNode[]) => {
    for (const sel of selections) {
      if (sel.kind === 'FragmentSpread') {
        if (spread.has(sel.name)) continue;
        spread.add(sel.name);
        const frag = doc.fragments.get(sel.name);
        if (frag) noteSpreads(frag.selections);
      } else if (sel.selections) noteSpreads(sel.selections);
    }
  };
  for (const o of doc.operations) noteSpreads(o.selections);
  for (const name of doc.fragments.keys()) {
    if (!spread.has(name)) errors.push({ message: `Fragment ${name} was defined, but not used`, locations: [doc.fragments.get(name)!.loc], extensions: { code: 'useAndDefineFragment', fragmentName: name } });
  }
  validate(rootType, op.selections, [op.operation + (op.name ? ` ${op.name}` : '')]);
  for (const name of used) {
    if (!declared.has(name)) errors.push({ message: `Variable $${name} is used by ${op.name ?? 'anonymous ' + op.operation} but not declared`, locations: [op.loc], extensions: { code: 'variableNotDefined', variableName: name } });
  }
  if (errors.length) return { ok: false, errors };

  const values: Record<string, unknown> = {};
  for (const v of op.variables) {
    const given = variables && Object.prototype.hasOwnProperty.call(variables, v.name) ? variables[v.name] : undefined;
    const raw = given === undefined && v.defaultValue ? literal(v.defaultValue, {}) : given;
    const problem = coerceProblem(schema, parseTypeRef(typeText(v.type)), raw);
    if (problem !== undefined) {
      errors.push({ message: `Variable $${v.name} of type ${typeText(v.type)} was provided invalid value${problem ? ` for ${problem}` : ''}`, locations: [op.loc], extensions: { value: raw ?? null, problems: [{ path: [], explanation: problem || 'Expected value to not be null' }] } });
      continue;
    }
    values[v.name] = raw;
  }
  if (errors.length) return { ok: false, errors };
  return { ok: true, prepared: { doc, op, variables: values, rootType } };
}

function typeText(t: { name?: string; list?: any; nonNull: boolean }): string {
  return (t.name ?? `[${typeText(t.list)}]`) + (t.nonNull ? '!' : '');
}

function possible(schema: Schema, name: string): string[] {
  const def = schema.types[name];
  if (!def) return [];
  if (def.kind === 'OBJECT') return [name];
  if (def.kind === 'INTERFACE' || def.kind === 'UNION') return def.possibleTypes;
  return [];
}

/** undefined when `value` fits the type; otherwise a short explanation ('' = null for a non-null type). */
function coerceProblem(schema: Schema, t: ParsedType, value: unknown): string | undefined {
  if (value === undefined || value === null) return t.nonNull ? '' : undefined;
  if (t.list) {
    const items = Array.isArray(value) ? value : [value];
    for (const item of items) {
      const p = coerceProblem(schema, t.list, item);
      if (p !== undefined) return p;
    }
    return undefined;
  }
  const def = schema.types[t.name!];
  const name = t.name!;
  if (BUILTIN_SCALARS.has(name) || def?.kind === 'SCALAR') {
    if (name === 'Int') return Number.isInteger(value) ? undefined : `${JSON.stringify(value)} (Could not coerce value to Int)`;
    if (name === 'Float') return typeof value === 'number' ? undefined : `${JSON.stringify(value)} (Could not coerce value to Float)`;
    if (name === 'Boolean') return typeof value === 'boolean' ? undefined : `${JSON.stringify(value)} (Could not coerce value to Boolean)`;
    if (name === 'ID') return typeof value === 'string' || Number.isInteger(value) ? undefined : `${JSON.stringify(value)} (Could not coerce value to ID)`;
    return typeof value === 'string' ? undefined : `${JSON.stringify(value)} (Could not coerce value to ${name})`;
  }
  if (def?.kind === 'ENUM') return typeof value === 'string' && def.values.includes(value) ? undefined : `${JSON.stringify(value)} (Expected "${String(value)}" to be one of: ${def.values.join(', ')})`;
  if (def?.kind === 'INPUT_OBJECT') {
    if (typeof value !== 'object' || Array.isArray(value)) return `${JSON.stringify(value)} (Expected an object)`;
    for (const key of Object.keys(value as object)) if (!(key in def.fields)) return `${key} (Field is not defined on ${name})`;
    for (const [key, ref] of Object.entries(def.fields)) {
      const p = coerceProblem(schema, parseTypeRef(ref), (value as Record<string, unknown>)[key]);
      if (p !== undefined) return p === '' ? `${key} (Expected value to not be null)` : `${key}: ${p}`;
    }
    return undefined;
  }
  return `${JSON.stringify(value)} (unknown type ${name})`;
}

function literal(v: ValueNode, vars: Record<string, unknown>): unknown {
  switch (v.kind) {
    case 'Variable':
      return vars[v.name];
    case 'Int':
      return Number(v.value);
    case 'Float':
      return Number(v.value);
    case 'String':
    case 'Enum':
      return v.value;
    case 'Boolean':
      return v.value;
    case 'Null':
      return null;
    case 'List':
      return v.values.map((x) => literal(x, vars));
    case 'Object':
      return Object.fromEntries(v.fields.map((f) => [f.name, literal(f.value, vars)]));
  }
}

function included(sel: SelectionNode, vars: Record<string, unknown>): boolean {
  for (const d of sel.directives) {
    const cond = d.args.get('if');
    const value = cond ? literal(cond, vars) : undefined;
    if (d.name === 'skip' && value === true) return false;
    if (d.name === 'include' && value === false) return false;
  }
  return true;
}

/** Fields of a selection set for a concrete type, by response key (fragments flattened, same keys merged). */
function collectFields(schema: Schema, doc: DocumentNode, typeName: string, selections: SelectionNode[], vars: Record<string, unknown>, out = new Map<string, FieldNode[]>()): Map<string, FieldNode[]> {
  for (const sel of selections) {
    if (!included(sel, vars)) continue;
    if (sel.kind === 'Field') {
      const key = sel.alias ?? sel.name;
      out.set(key, [...(out.get(key) ?? []), sel]);
    } else {
      const frag: { typeCondition?: string; selections: SelectionNode[] } | FragmentNode | undefined = sel.kind === 'FragmentSpread' ? doc.fragments.get(sel.name) : sel;
      if (!frag) continue;
      const cond = frag.typeCondition ?? typeName;
      if (!possible(schema, cond).includes(typeName)) continue;
      collectFields(schema, doc, typeName, frag.selections, vars, out);
    }
  }
  return out;
}

function argsOf(field: FieldNode, vars: Record<string, unknown>): Record<string, any> {
  return Object.fromEntries([...field.args].map(([k, v]) => [k, literal(v, vars)]));
}

const isConnectionType = (name: string) => name.endsWith('Connection');

/**
 * The requested cost, computed before running (shopify.dev "GraphQL Admin API rate limits"): scalars and
 * enums 0, objects 1, a connection 2 plus `first` (or `last`) times the cost of one node, a mutation 10.
 */
export function requestedCost(schema: Schema, p: PreparedOperation): number {
  const walk = (typeName: string, selections: SelectionNode[]): number => {
    let total = 0;
    const concrete = possible(schema, typeName);
    // An interface or union selection costs its most expensive possible type.
    const costs = (concrete.length ? concrete : [typeName]).map((t) => {
      let sum = 0;
      const fields = collectFields(schema, p.doc, t, selections, p.variables);
      for (const nodes of fields.values()) {
        const node = nodes[0]!;
        if (node.name === '__typename') continue;
        const def = fieldDef(schema, t, node.name);
        if (!def) continue;
        const inner = namedType(parseTypeRef(def.type));
        const innerDef = schema.types[inner]!;
        if (innerDef.kind === 'SCALAR' || innerDef.kind === 'ENUM') continue;
        const sub = nodes.flatMap((n) => n.selections ?? []);
        if (isConnectionType(inner)) {
          const args = argsOf(node, p.variables);
          const n = Number(args.first ?? args.last ?? 0) || 0;
          const nodeType = namedType(parseTypeRef(fieldDef(schema, inner, 'nodes')!.type));
          const perNode = 1 + walk(nodeType, connectionNodeSelections(schema, p, inner, sub));
          // pageInfo and other fields of the connection itself cost like any object.
          const own = sub.filter((s) => !(s.kind === 'Field' && (s.name === 'nodes' || s.name === 'edges')));
          sum += 2 + n * perNode + (own.length ? walk(inner, own) : 0);
        } else {
          sum += 1 + walk(inner, sub);
        }
      }
      return sum;
    });
    total += Math.max(0, ...costs);
    return total;
  };
  const root = collectFields(schema, p.doc, p.rootType, p.op.selections, p.variables);
  if (p.op.operation === 'mutation') return 10 * root.size;
  return walk(p.rootType, p.op.selections);
}

/** The selections made on the node type inside a connection (`nodes { … }` and `edges { node { … } }`). */
function connectionNodeSelections(schema: Schema, p: PreparedOperation, connType: string, sub: SelectionNode[]): SelectionNode[] {
  const out: SelectionNode[] = [];
  const fields = collectFields(schema, p.doc, connType, sub, p.variables);
  for (const n of fields.get('nodes') ?? []) out.push(...(n.selections ?? []));
  for (const e of [...fields.values()].flat().filter((f) => f.name === 'edges')) {
    const edgeType = namedType(parseTypeRef(fieldDef(schema, connType, 'edges')!.type));
    const edgeFields = collectFields(schema, p.doc, edgeType, e.selections ?? [], p.variables);
    for (const nf of [...edgeFields.values()].flat().filter((f) => f.name === 'node')) out.push(...(nf.selections ?? []));
  }
  return out;
}

function fieldDef(schema: Schema, typeName: string, field: string): FieldDef | undefined {
  const def = schema.types[typeName];
  return def && (def.kind === 'OBJECT' || def.kind === 'INTERFACE') ? def.fields[field] : undefined;
}

export interface ExecResult {
  data: Record<string, unknown> | null;
  errors: GraphqlError[];
  actualCost: number;
  extensions: Record<string, unknown>;
}

/** Runs a prepared operation. Actual cost counts what was returned: 1 per object, 2 per connection. */
export function execute(schema: Schema, p: PreparedOperation): ExecResult {
  const ctx: ExecContext = { extensions: {} };
  const errors: GraphqlError[] = [];
  let cost = 0;
  const mutation = p.op.operation === 'mutation';

  const executeFields = (typeName: string, value: any, selections: SelectionNode[], path: (string | number)[]): Record<string, unknown> | null => {
    const out: Record<string, unknown> = {};
    const fields = collectFields(schema, p.doc, typeName, selections, p.variables);
    for (const [key, nodes] of fields) {
      const node = nodes[0]!;
      if (node.name === '__typename') {
        out[key] = typeName;
        continue;
      }
      const def = fieldDef(schema, typeName, node.name)!;
      const fieldPath = [...path, key];
      let resolved: unknown;
      try {
        const args = argsOf(node, p.variables);
        resolved = def.resolve ? def.resolve(value, args, ctx) : value?.[node.name];
        if (mutation && path.length === 0) cost += 10;
      } catch (e) {
        if (!(e instanceof FieldError)) throw e;
        errors.push({ message: e.message, locations: [node.loc], path: fieldPath, ...(e.code && { extensions: { code: e.code } }) });
        resolved = null;
      }
      const t = parseTypeRef(def.type);
      const completed = complete(t, resolved, nodes.flatMap((n) => n.selections ?? []), fieldPath);
      if (completed === NULL_BUBBLE) return null;
      out[key] = completed;
    }
    return out;
  };

  const NULL_BUBBLE = Symbol('null');
  const complete = (t: ParsedType, value: unknown, selections: SelectionNode[], path: (string | number)[]): unknown => {
    if (value === null || value === undefined) {
      return t.nonNull ? NULL_BUBBLE : null;
    }
    if (t.list) {
      if (!Array.isArray(value)) throw new Error(`sim schema: ${path.join('.')} resolved to a non-list`);
      const items = value.map((v, i) => complete(t.list!, v, selections, [...path, i]));
      if (items.includes(NULL_BUBBLE)) return t.nonNull ? NULL_BUBBLE : null;
      return items;
    }
    const def = schema.types[t.name!]!;
    if (def.kind === 'SCALAR' || def.kind === 'ENUM') return value;
    let concrete = t.name!;
    if (def.kind === 'INTERFACE' || def.kind === 'UNION') concrete = def.resolveType(value);
    if (isConnectionType(concrete)) cost += 2;
    else if (!(path.length === 1 && mutation)) cost += 1;
    const obj = executeFields(concrete, value, selections, path);
    return obj === null ? (t.nonNull ? NULL_BUBBLE : null) : obj;
  };

  const data = executeFields(p.rootType, {}, p.op.selections, []);
  return { data, errors, actualCost: cost, extensions: ctx.extensions };
}
