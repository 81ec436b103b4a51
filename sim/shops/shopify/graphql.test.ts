import { describe, expect, it } from 'vitest';
import { execute, prepare, requestedCost, type Schema } from './graphql/execute.js';
import { parseDocument } from './graphql/parse.js';

const schema: Schema = {
  query: 'Query',
  mutation: 'Mutation',
  types: {
    String: { kind: 'SCALAR' }, Int: { kind: 'SCALAR' }, Boolean: { kind: 'SCALAR' }, ID: { kind: 'SCALAR' },
    Color: { kind: 'ENUM', values: ['RED', 'BLUE'] },
    PageInfo: { kind: 'OBJECT', fields: { hasNextPage: { type: 'Boolean!' } } },
    Thing: { kind: 'OBJECT', fields: { id: { type: 'ID!' }, name: { type: 'String' }, color: { type: 'Color' }, parts: { type: '[Part!]!' } } },
    Part: { kind: 'OBJECT', fields: { n: { type: 'Int!' } } },
    ThingConnection: { kind: 'OBJECT', fields: { nodes: { type: '[Thing!]!' }, pageInfo: { type: 'PageInfo!' } } },
    Input: { kind: 'INPUT_OBJECT', fields: { name: 'String!', color: 'Color' } },
    Query: {
      kind: 'OBJECT',
      fields: {
        things: {
          type: 'ThingConnection!',
          args: { first: 'Int', color: 'Color' },
          resolve: (_p, a) => {
            const all = [1, 2, 3, 4].map((i) => ({ id: `t${i}`, name: `Thing ${i}`, color: i % 2 ? 'RED' : 'BLUE', parts: [{ n: i }] }));
            const list = all.filter((t) => !a.color || t.color === a.color).slice(0, a.first);
            return { nodes: list, pageInfo: { hasNextPage: false } };
          },
        },
      },
    },
    Mutation: { kind: 'OBJECT', fields: { make: { type: 'Thing', args: { input: 'Input!' }, resolve: (_p, a) => ({ id: 'new', name: a.input.name, color: a.input.color ?? null, parts: [] }) } } },
  },
};

function run(query: string, variables?: Record<string, unknown>) {
  const p = prepare(schema, query, variables);
  if (!p.ok) return { errors: p.errors, data: undefined, cost: 0 };
  const r = execute(schema, p.prepared);
  return { data: r.data, errors: r.errors, cost: requestedCost(schema, p.prepared), actual: r.actualCost };
}

describe('the simulator GraphQL engine', () => {
  it('parses operations, fragments, variables, block strings and comments', () => {
    const doc = parseDocument(`# a comment
      query Q($first: Int! = 2, $c: [Color!]) { things(first: $first) { ...F nodes { name } } }
      fragment F on ThingConnection { pageInfo { hasNextPage } }
      mutation M { make(input: { name: """ block
        text """}) { id } }`);
    expect(doc.operations.map((o) => [o.operation, o.name])).toEqual([['query', 'Q'], ['mutation', 'M']]);
    expect(doc.fragments.has('F')).toBe(true);
  });

  it('answers with aliases, fragments, inline fragments and __typename', () => {
    const r = run(`query { all: things(first: 3) { nodes { __typename id ...on Thing { name } } ...P } } fragment P on ThingConnection { pageInfo { hasNextPage } }`);
    expect(r.errors).toEqual([]);
    expect(r.data).toEqual({ all: { nodes: [{ __typename: 'Thing', id: 't1', name: 'Thing 1' }, { __typename: 'Thing', id: 't2', name: 'Thing 2' }, { __typename: 'Thing', id: 't3', name: 'Thing 3' }], pageInfo: { hasNextPage: false } } });
  });

  it("refuses what Shopify refuses, in Shopify's words", () => {
    expect(run('{ things(first: 1) { nodes { nope } } }').errors[0]!.message).toBe("Field 'nope' doesn't exist on type 'Thing'");
    expect(run('{ things(first: 1, bogus: 1) { nodes { id } } }').errors[0]!.message).toBe("Field 'things' doesn't accept argument 'bogus'");
    expect(run('{ things(first: 1) { nodes { id { x } } } }').errors[0]!.message).toMatch(/^Selections can't be made on scalars/);
    expect(run('{ things(first: 1) }').errors[0]!.message).toMatch(/^Field must have selections/);
    expect(run('{ things(first: 1) { nodes { id } } } fragment X on Thing { id }').errors[0]!.message).toBe('Fragment X was defined, but not used');
    expect(run('query { things(first: $n) { nodes { id } } }').errors[0]!.message).toMatch(/Variable \$n is used by anonymous query but not declared/);
    expect(run('query($n: Int!) { things(first: $n) { nodes { id } } }', {}).errors[0]!.message).toBe('Variable $n of type Int! was provided invalid value');
    expect(run('query($c: Color) { things(first: 1, color: $c) { nodes { id } } }', { c: 'GREEN' }).errors[0]!.message).toMatch(/Expected "GREEN" to be one of: RED, BLUE/);
    expect(run('mutation($i: Input!) { make(input: $i) { id } }', { i: { name: 'x', extra: 1 } }).errors[0]!.message).toMatch(/extra \(Field is not defined on Input\)/);
    expect(run('{ things(first: 1) { nodes { id } }').errors[0]!.message).toMatch(/^syntax error, unexpected end of file/);
  });

  it('costs connections by `first`, objects 1, scalars 0; a mutation 10', () => {
    // 2 + 3 × (Thing 1 + parts 1) + pageInfo 1
    expect(run('{ things(first: 3) { nodes { id parts { n } } pageInfo { hasNextPage } } }').cost).toBe(2 + 3 * 2 + 1);
    const small = run('{ things(first: 3, color: BLUE) { nodes { id } } }');
    expect(small.cost).toBe(2 + 3);
    // Actual: the connection 2 + the 2 blue things returned.
    expect(small.actual).toBe(2 + 2);
    expect(run('mutation { make(input: { name: "a" }) { id } }').cost).toBe(10);
  });
});
