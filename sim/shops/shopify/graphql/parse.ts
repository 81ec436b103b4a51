/**
 * A parser for GraphQL executable documents (operations and fragments; no type system definitions),
 * following the October 2021 GraphQL spec grammar. Written for the simulator so it can answer the
 * queries a client really sends, field by field, and refuse what Shopify would refuse. Errors carry
 * Shopify's wording: `syntax error, unexpected X ("y") at [line, column]`.
 */

export interface Location {
  line: number;
  column: number;
}

export type ValueNode =
  | { kind: 'Variable'; name: string }
  | { kind: 'Int'; value: string }
  | { kind: 'Float'; value: string }
  | { kind: 'String'; value: string }
  | { kind: 'Boolean'; value: boolean }
  | { kind: 'Null' }
  | { kind: 'Enum'; value: string }
  | { kind: 'List'; values: ValueNode[] }
  | { kind: 'Object'; fields: { name: string; value: ValueNode }[] };

export interface TypeNode {
  name?: string;
  list?: TypeNode;
  nonNull: boolean;
}

export interface DirectiveNode {
  name: string;
  args: Map<string, ValueNode>;
}

export interface FieldNode {
  kind: 'Field';
  alias?: string;
  name: string;
  args: Map<string, ValueNode>;
  directives: DirectiveNode[];
  selections?: SelectionNode[];
  loc: Location;
}

export interface FragmentSpreadNode {
  kind: 'FragmentSpread';
  name: string;
  directives: DirectiveNode[];
  loc: Location;
}

export interface InlineFragmentNode {
  kind: 'InlineFragment';
  typeCondition?: string;
  directives: DirectiveNode[];
  selections: SelectionNode[];
  loc: Location;
}

export type SelectionNode = FieldNode | FragmentSpreadNode | InlineFragmentNode;

export interface OperationNode {
  operation: 'query' | 'mutation' | 'subscription';
  name?: string;
  variables: { name: string; type: TypeNode; defaultValue?: ValueNode }[];
  selections: SelectionNode[];
  loc: Location;
}

export interface FragmentNode {
  name: string;
  typeCondition: string;
  selections: SelectionNode[];
  loc: Location;
}

export interface DocumentNode {
  operations: OperationNode[];
  fragments: Map<string, FragmentNode>;
}

export class GraphqlSyntaxError extends Error {
  constructor(
    message: string,
    readonly loc: Location,
  ) {
    super(message);
  }
}

type TokenKind = 'punct' | 'name' | 'int' | 'float' | 'string' | 'eof';
interface Token {
  kind: TokenKind;
  value: string;
  loc: Location;
}

const PUNCT = new Set(['!', '$', '&', '(', ')', ':', '=', '@', '[', ']', '{', '|', '}']);

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const loc = (at: number): Location => ({ line, column: at - lineStart + 1 });
  while (i < source.length) {
    const c = source[i]!;
    if (c === '\n') {
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === ',' || c === '\uFEFF') {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < source.length && source[i] !== '\n') i++;
      continue;
    }
    if (c === '.' && source.startsWith('...', i)) {
      tokens.push({ kind: 'punct', value: '...', loc: loc(i) });
      i += 3;
      continue;
    }
    if (PUNCT.has(c)) {
      tokens.push({ kind: 'punct', value: c, loc: loc(i) });
      i++;
      continue;
    }
    if (/[_A-Za-z]/.test(c)) {
      const start = i;
      while (i < source.length && /[_0-9A-Za-z]/.test(source[i]!)) i++;
      tokens.push({ kind: 'name', value: source.slice(start, i), loc: loc(start) });
      continue;
    }
    if (c === '-' || /[0-9]/.test(c)) {
      const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(source.slice(i));
      if (!m) throw new GraphqlSyntaxError(`syntax error, unexpected invalid token ("${c}") at [${line}, ${i - lineStart + 1}]`, loc(i));
      tokens.push({ kind: m[2] || m[3] ? 'float' : 'int', value: m[0], loc: loc(i) });
      i += m[0].length;
      continue;
    }
    if (c === '"') {
      const start = i;
      if (source.startsWith('"""', i)) {
        const end = source.indexOf('"""', i + 3);
        if (end < 0) throw new GraphqlSyntaxError(`syntax error, unterminated string at [${line}, ${i - lineStart + 1}]`, loc(i));
        const raw = source.slice(i + 3, end);
        tokens.push({ kind: 'string', value: blockString(raw), loc: loc(start) });
        for (const ch of source.slice(i, end + 3)) if (ch === '\n') line++;
        i = end + 3;
        continue;
      }
      i++;
      let value = '';
      for (;;) {
        if (i >= source.length || source[i] === '\n') throw new GraphqlSyntaxError(`syntax error, unterminated string at [${line}, ${start - lineStart + 1}]`, loc(start));
        const ch = source[i]!;
        if (ch === '"') {
          i++;
          break;
        }
        if (ch === '\\') {
          const e = source[i + 1];
          const map: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
          if (e === 'u') {
            value += String.fromCharCode(parseInt(source.slice(i + 2, i + 6), 16));
            i += 6;
            continue;
          }
          if (e === undefined || !(e in map)) throw new GraphqlSyntaxError(`syntax error, bad escape at [${line}, ${i - lineStart + 1}]`, loc(i));
          value += map[e];
          i += 2;
          continue;
        }
        value += ch;
        i++;
      }
      tokens.push({ kind: 'string', value, loc: loc(start) });
      continue;
    }
    throw new GraphqlSyntaxError(`syntax error, unexpected invalid token ("${c}") at [${line}, ${i - lineStart + 1}]`, loc(i));
  }
  tokens.push({ kind: 'eof', value: '', loc: { line, column: i - lineStart + 1 } });
  return tokens;
}

function blockString(raw: string): string {
  const lines = raw.split(/\r\n|\n|\r/);
  let indent = Infinity;
  for (const l of lines.slice(1)) {
    const m = /^[ \t]*/.exec(l)![0].length;
    if (m < l.length) indent = Math.min(indent, m);
  }
  const out = lines.map((l, i) => (i === 0 || indent === Infinity ? l : l.slice(indent)));
  while (out.length && out[0]!.trim() === '') out.shift();
  while (out.length && out[out.length - 1]!.trim() === '') out.pop();
  return out.join('\n');
}

export function parseDocument(source: string): DocumentNode {
  const tokens = tokenize(source);
  let pos = 0;
  const peek = () => tokens[pos]!;
  const unexpected = (t: Token): GraphqlSyntaxError => {
    const what = t.kind === 'eof' ? 'end of file' : t.kind === 'name' ? 'IDENTIFIER' : t.kind === 'string' ? 'STRING' : t.kind === 'int' ? 'INT' : t.kind === 'float' ? 'FLOAT' : t.value === '{' ? 'LCURLY' : t.value === '}' ? 'RCURLY' : t.value === '(' ? 'LPAREN' : t.value === ')' ? 'RPAREN' : t.value;
    return new GraphqlSyntaxError(`syntax error, unexpected ${what}${t.kind === 'eof' ? '' : ` ("${t.value}")`} at [${t.loc.line}, ${t.loc.column}]`, t.loc);
  };
  const next = () => tokens[pos++]!;
  const isPunct = (v: string) => peek().kind === 'punct' && peek().value === v;
  const expectPunct = (v: string) => {
    const t = next();
    if (t.kind !== 'punct' || t.value !== v) throw unexpected(t);
    return t;
  };
  const expectName = () => {
    const t = next();
    if (t.kind !== 'name') throw unexpected(t);
    return t.value;
  };

  function parseValue(isConst: boolean): ValueNode {
    const t = peek();
    if (t.kind === 'punct' && t.value === '$') {
      if (isConst) throw unexpected(t);
      next();
      return { kind: 'Variable', name: expectName() };
    }
    if (t.kind === 'int') return next(), { kind: 'Int', value: t.value };
    if (t.kind === 'float') return next(), { kind: 'Float', value: t.value };
    if (t.kind === 'string') return next(), { kind: 'String', value: t.value };
    if (t.kind === 'name') {
      next();
      if (t.value === 'true' || t.value === 'false') return { kind: 'Boolean', value: t.value === 'true' };
      if (t.value === 'null') return { kind: 'Null' };
      return { kind: 'Enum', value: t.value };
    }
    if (t.kind === 'punct' && t.value === '[') {
      next();
      const values: ValueNode[] = [];
      while (!isPunct(']')) values.push(parseValue(isConst));
      next();
      return { kind: 'List', values };
    }
    if (t.kind === 'punct' && t.value === '{') {
      next();
      const fields: { name: string; value: ValueNode }[] = [];
      while (!isPunct('}')) {
        const name = expectName();
        expectPunct(':');
        fields.push({ name, value: parseValue(isConst) });
      }
      next();
      return { kind: 'Object', fields };
    }
    throw unexpected(t);
  }

  function parseArguments(): Map<string, ValueNode> {
    const args = new Map<string, ValueNode>();
    if (!isPunct('(')) return args;
    next();
    while (!isPunct(')')) {
      const name = expectName();
      expectPunct(':');
      args.set(name, parseValue(false));
    }
    next();
    if (args.size === 0) throw unexpected(tokens[pos - 1]!);
    return args;
  }

  function parseDirectives(): DirectiveNode[] {
    const out: DirectiveNode[] = [];
    while (isPunct('@')) {
      next();
      out.push({ name: expectName(), args: parseArguments() });
    }
    return out;
  }

  function parseSelectionSet(): SelectionNode[] {
    expectPunct('{');
    const selections: SelectionNode[] = [];
    while (!isPunct('}')) selections.push(parseSelection());
    next();
    if (selections.length === 0) throw unexpected(tokens[pos - 1]!);
    return selections;
  }

  function parseSelection(): SelectionNode {
    const t = peek();
    if (t.kind === 'punct' && t.value === '...') {
      next();
      const after = peek();
      if (after.kind === 'name' && after.value !== 'on') {
        next();
        return { kind: 'FragmentSpread', name: after.value, directives: parseDirectives(), loc: t.loc };
      }
      let typeCondition: string | undefined;
      if (after.kind === 'name' && after.value === 'on') {
        next();
        typeCondition = expectName();
      }
      const directives = parseDirectives();
      return { kind: 'InlineFragment', typeCondition, directives, selections: parseSelectionSet(), loc: t.loc };
    }
    const first = expectName();
    let alias: string | undefined;
    let name = first;
    if (isPunct(':')) {
      next();
      alias = first;
      name = expectName();
    }
    const args = parseArguments();
    const directives = parseDirectives();
    const selections = isPunct('{') ? parseSelectionSet() : undefined;
    return { kind: 'Field', alias, name, args, directives, selections, loc: t.loc };
  }

  function parseType(): TypeNode {
    let type: TypeNode;
    if (isPunct('[')) {
      next();
      const inner = parseType();
      expectPunct(']');
      type = { list: inner, nonNull: false };
    } else {
      type = { name: expectName(), nonNull: false };
    }
    if (isPunct('!')) {
      next();
      type.nonNull = true;
    }
    return type;
  }

  const doc: DocumentNode = { operations: [], fragments: new Map() };
  if (peek().kind === 'eof') throw unexpected(peek());
  while (peek().kind !== 'eof') {
    const t = peek();
    if (t.kind === 'punct' && t.value === '{') {
      doc.operations.push({ operation: 'query', variables: [], selections: parseSelectionSet(), loc: t.loc });
      continue;
    }
    if (t.kind !== 'name') throw unexpected(t);
    if (t.value === 'fragment') {
      next();
      const name = expectName();
      if (name === 'on') throw unexpected(tokens[pos - 1]!);
      const on = expectName();
      if (on !== 'on') throw unexpected(tokens[pos - 1]!);
      const typeCondition = expectName();
      parseDirectives();
      doc.fragments.set(name, { name, typeCondition, selections: parseSelectionSet(), loc: t.loc });
      continue;
    }
    if (t.value !== 'query' && t.value !== 'mutation' && t.value !== 'subscription') throw unexpected(t);
    next();
    const op: OperationNode = { operation: t.value, variables: [], selections: [], loc: t.loc };
    if (peek().kind === 'name') op.name = expectName();
    if (isPunct('(')) {
      next();
      while (!isPunct(')')) {
        expectPunct('$');
        const name = expectName();
        expectPunct(':');
        const type = parseType();
        let defaultValue: ValueNode | undefined;
        if (isPunct('=')) {
          next();
          defaultValue = parseValue(true);
        }
        op.variables.push({ name, type, defaultValue });
      }
      next();
    }
    parseDirectives();
    op.selections = parseSelectionSet();
    doc.operations.push(op);
  }
  return doc;
}
