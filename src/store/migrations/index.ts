import type { Migration, MigrationProvider } from 'kysely';
import type { StoreCapabilities } from '../capabilities.js';
import { initial } from './001-initial.js';
import { customerBindings } from './002-customer-bindings.js';
import { webhookEvents } from './004-webhook-events.js';
import { conflicts } from './005-conflicts.js';
import { payloadParts } from './006-payload-parts.js';
import { customerClaims } from './007-customer-claims.js';
import { stateIdIndex } from './008-state-id-index.js';

/** Migrations live in code (not files on disk) so they work from any install location. Never edit a shipped one. */
export function migrationProvider(caps: StoreCapabilities): MigrationProvider {
  return {
    async getMigrations(): Promise<Record<string, Migration>> {
      return {
        '001-initial': initial(caps),
        '002-customer-bindings': customerBindings(caps),
        '004-webhook-events': webhookEvents(caps),
        '005-conflicts': conflicts(caps),
        '006-payload-parts': payloadParts(caps),
        '007-customer-claims': customerClaims(caps),
        '008-state-id-index': stateIdIndex(caps),
      };
    },
  };
}
