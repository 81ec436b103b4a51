import { readFileSync, realpathSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parse as parseYaml, parseDocument } from 'yaml';
import { parseConfig, processEnv } from '../../config/load.js';
import { ConfigError } from '../../domain/errors.js';
import type { Runtime } from '../../pipeline/runtime.js';
import { PanelInputError } from './input-error.js';

/** The mapping entries the panel can set: the ones a held order's hint points at. */
export const MAPPING_FIELDS = {
  skuMap: { keyed: true, label: 'SKU map', keyLabel: 'shop SKU', valueLabel: 'BC item no.' },
  customerMap: { keyed: true, label: 'customer map', keyLabel: 'shop customer id', valueLabel: 'BC customer no.' },
  guestCustomerNo: { keyed: false, label: 'guest customer no.', keyLabel: '', valueLabel: 'BC customer no.' },
  defaultCustomerNo: { keyed: false, label: 'default customer no.', keyLabel: '', valueLabel: 'BC customer no.' },
} as const;

export type MappingField = keyof typeof MAPPING_FIELDS;

export function isMappingField(value: string): value is MappingField {
  return Object.hasOwn(MAPPING_FIELDS, value);
}

export interface MappingChange {
  shop: string;
  field: MappingField;
  /** The map key (SKU or shop customer id) for skuMap/customerMap. */
  key?: string;
  /** BC item or customer no. */
  value: string;
}

/**
 * Fixing a held order from the panel writes the mapping into the config file, the same file `bcbridge`
 * and cron jobs read, so a fix is never lost on restart and never differs between the panel and the
 * CLI. The file is edited as a YAML document (comments, order and `${ENV}` references survive), the
 * result is validated as a whole before it replaces the file (atomic rename), and then the running
 * process's mapping is updated in place so the next evaluation uses it at once.
 */
export class MappingEditor {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly rt: Runtime,
    readonly configPath: string | undefined,
  ) {}

  /** Where changes go, or why they cannot be saved. */
  target(): { path: string } | { problem: string } {
    if (!this.configPath) return { problem: 'bcbridge was started without a config file, so mapping changes cannot be saved from the panel' };
    return { path: this.configPath };
  }

  /** Applies one change; concurrent calls are serialised so two edits never overwrite each other. */
  set(change: MappingChange): Promise<{ path: string; yamlPath: string }> {
    const run = this.queue.then(() => this.apply(change));
    this.queue = run.catch(() => {});
    return run;
  }

  private async apply(change: MappingChange): Promise<{ path: string; yamlPath: string }> {
    const shopIndex = this.rt.config.shops.findIndex((s) => s.code === change.shop);
    if (shopIndex < 0) throw new PanelInputError(`shop: no shop "${change.shop}"`, 400, 'shop');
    const spec = MAPPING_FIELDS[change.field];
    const value = change.value.trim();
    if (!/^[^\s]{1,20}$/.test(value)) throw new PanelInputError(`${spec.valueLabel}: must be 1-20 characters without spaces`, 400, 'value');
    const key = change.key?.trim() ?? '';
    if (spec.keyed && (key.length === 0 || key.length > 100)) throw new PanelInputError(`${spec.keyLabel}: must be 1-100 characters`, 400, 'key');
    const path = ['shops', shopIndex, 'mapping', change.field, ...(spec.keyed ? [key] : [])];
    const yamlPath = `shops[${shopIndex}].mapping.${change.field}${spec.keyed ? `.${key}` : ''}`;
    const target = this.target();
    if ('problem' in target) {
      throw new PanelInputError(`${target.problem}. Set ${yamlPath}: ${value} in your config and retry the order.`, 409);
    }

    let file: string;
    let text: string;
    try {
      // Through a symlink to the real file, so the atomic rename replaces the file and not the link.
      file = realpathSync(target.path);
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new PanelInputError(`cannot read ${target.path} (${(err as NodeJS.ErrnoException).code ?? err}); set ${yamlPath}: ${value} by hand`, 409);
    }
    const next = text.trimStart().startsWith('{') ? editJson(text, path, value) : editYaml(text, path, value, shopIndex, change.shop);

    // The whole file must still be a valid config (with today's environment) before it replaces the old one.
    try {
      const cfg = parseConfig(parseYaml(next), processEnv());
      if (cfg.shops[shopIndex]?.code !== change.shop) throw new ConfigError([`shops[${shopIndex}].code: is not "${change.shop}" in ${target.path}`]);
    } catch (err) {
      const detail = err instanceof ConfigError ? err.problems.join('; ') : (err as Error).message;
      throw new PanelInputError(`the change was not saved: ${target.path} would not be valid (${detail})`, 422);
    }
    const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
    try {
      writeFileSync(tmp, next, { mode: statSync(file).mode });
      renameSync(tmp, file);
    } catch (err) {
      throw new PanelInputError(`cannot write ${target.path} (${(err as NodeJS.ErrnoException).code ?? err}); set ${yamlPath}: ${value} by hand`, 409);
    }

    // The running pipeline reads ctx.shop(code).mapping for every order, so updating it here is enough.
    const mapping = this.rt.config.shops[shopIndex].mapping as Record<string, unknown>;
    if (spec.keyed) mapping[change.field] = { ...(mapping[change.field] as Record<string, string>), [key]: value };
    else mapping[change.field] = value;
    this.rt.log.info({ shop: change.shop, field: change.field, key: spec.keyed ? key : undefined, value, file: target.path }, 'mapping changed from the panel');
    return { path: target.path, yamlPath };
  }
}

function editYaml(text: string, path: (string | number)[], value: string, shopIndex: number, shop: string): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new PanelInputError(`the config file is not valid YAML (${doc.errors[0].message.split('\n')[0]})`, 409);
  // The running config came from this file; if the shop is no longer at the same place, it was edited since.
  if (doc.getIn(['shops', shopIndex, 'code']) !== shop) {
    throw new PanelInputError(`the config file changed since bcbridge started (shops[${shopIndex}] is no longer "${shop}"); restart bcbridge first`, 409);
  }
  doc.setIn(path, value);
  return doc.toString();
}

function editJson(text: string, path: (string | number)[], value: string): string {
  let obj: Record<string, unknown>;
  try {
    obj = JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new PanelInputError(`the config file is not valid JSON (${(err as Error).message})`, 409);
  }
  let node: Record<string | number, unknown> = obj;
  for (const k of path.slice(0, -1)) {
    if (node[k] === undefined || node[k] === null) node[k] = {};
    node = node[k] as Record<string | number, unknown>;
  }
  node[path[path.length - 1]] = value;
  return JSON.stringify(obj, null, 2) + '\n';
}
