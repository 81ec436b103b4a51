import * as S from '../schema.js';
import type { EntitySchema } from '../schema.js';
import { COMPANY_SETS } from './entities.js';

/**
 * A small $metadata (EDMX, namespace Microsoft.NAV, strings with MaxLength; bc-api.md §1.1) and the
 * service document, generated from the same schema table the simulator validates with.
 */

const EDM: Record<string, string> = {
  string: 'Edm.String', code: 'Edm.String', enum: 'Edm.String', decimal: 'Edm.Decimal', int: 'Edm.Int32',
  bool: 'Edm.Boolean', date: 'Edm.Date', datetime: 'Edm.DateTimeOffset', guid: 'Edm.Guid',
};

function entityType(s: EntitySchema): string {
  const props = Object.entries(s.fields)
    .map(([name, f]) => `<Property Name="${name}" Type="${EDM[f.type]}"${f.max ? ` MaxLength="${f.max}"` : ''}/>`)
    .join('');
  return `<EntityType Name="${s.type}"><Key><PropertyRef Name="id"/></Key>${props}</EntityType>`;
}

export function metadataDocument(): string {
  const sets = [['companies', S.COMPANY] as const, ...Object.values(COMPANY_SETS).map((d) => [d.name, d.schema] as const)];
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    '<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>' +
    '<Schema Namespace="Microsoft.NAV" xmlns="http://docs.oasis-open.org/odata/ns/edm">' +
    sets.map(([, s]) => entityType(s)).join('') +
    '<EntityContainer Name="NAV">' +
    sets.map(([n, s]) => `<EntitySet Name="${n}" EntityType="Microsoft.NAV.${s.type}"/>`).join('') +
    '</EntityContainer></Schema></edmx:DataServices></edmx:Edmx>'
  );
}

export function serviceDocument(apiBase: string): object {
  const names = ['companies', ...Object.keys(COMPANY_SETS)];
  return { '@odata.context': `${apiBase}/$metadata`, value: names.map((n) => ({ name: n, kind: 'EntitySet', url: n })) };
}
