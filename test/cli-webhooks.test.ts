import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { startShopifySim, type ShopifySim } from '../sim/shops/shopify/server.js';
import { bcbridge } from './helpers/cli.js';
import { rawConfig, startWorld, type World } from './helpers/world.js';

describe('bcbridge webhooks register|list|remove', () => {
  let world: World;
  let shopify: ShopifySim;
  let dir: string;
  let configFile: string;
  let noUrlFile: string;
  const env = { SHOPIFY_TOKEN: 'shpat_cli_test_token_0123', SHOPIFY_SECRET: 'shpss_cli_test' };

  beforeAll(async () => {
    world = await startWorld();
    shopify = await startShopifySim({ accessToken: env.SHOPIFY_TOKEN, apiSecret: env.SHOPIFY_SECRET });
    dir = mkdtempSync(join(tmpdir(), 'bcbridge-webhooks-'));
    const cfg = rawConfig(world.bc, world.woo, join(dir, 'bcbridge.db'));
    cfg.shops.push({ code: 'shop', platform: 'shopify', url: shopify.url, accessToken: '${SHOPIFY_TOKEN}', webhookSecret: '${SHOPIFY_SECRET}', shopDomain: shopify.shopDomain });
    noUrlFile = join(dir, 'no-url.yaml');
    writeFileSync(noUrlFile, stringify(cfg));
    cfg.server = { publicUrl: 'https://bcbridge.example.com/' };
    configFile = join(dir, 'bcbridge.yaml');
    writeFileSync(configFile, stringify(cfg));
  });
  afterAll(async () => {
    await shopify.close();
    await world.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('subscribes the shop to <publicUrl>/webhooks/<shop> once, lists and removes those subscriptions', async () => {
    const first = await bcbridge(['--config', configFile, 'webhooks', 'register', '--shop', 'shop', '--json'], { env });
    expect(first.code).toBe(0);
    const created = JSON.parse(first.stdout);
    expect(created.address).toBe('https://bcbridge.example.com/webhooks/shop');
    expect(created.subscriptions.map((s: { topic: string; action: string }) => `${s.topic}:${s.action}`)).toEqual(['orders/create:created', 'orders/updated:created', 'orders/cancelled:created']);
    const again = await bcbridge(['--config', configFile, 'webhooks', 'register', '--shop', 'shop'], { env });
    expect(again.code).toBe(0);
    expect(again.stdout.match(/exists/g)).toHaveLength(3);
    // Someone else's subscription on the same shop is listed but not touched.
    shopify.webhooks.subscribe('ORDERS_PAID', 'https://erp.example.com/hook');

    const list = JSON.parse((await bcbridge(['--config', configFile, 'webhooks', 'list', '--shop', 'shop', '--json'], { env })).stdout);
    expect(list.subscriptions.map((s: { topic: string; ours: boolean }) => [s.topic, s.ours])).toEqual([['orders/create', true], ['orders/updated', true], ['orders/cancelled', true], ['orders/paid', false]]);

    const removed = await bcbridge(['--config', configFile, 'webhooks', 'remove', '--shop', 'shop'], { env });
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain('removed 3 subscription(s)');
    expect(shopify.webhooks.subscriptions().map((s) => s.uri)).toEqual(['https://erp.example.com/hook']);
    const table = await bcbridge(['--config', configFile, 'webhooks', 'list', '--shop', 'shop'], { env });
    expect(table.stdout).toContain('not subscribed: orders/create, orders/updated, orders/cancelled');
    // Secrets never reach the output.
    for (const r of [first, again, removed, table]) expect(r.stdout + r.stderr).not.toMatch(/shpat_cli_test|shpss_cli_test/);
  });

  it('says what is missing: server.publicUrl, or a WooCommerce webhookSecret (exit 2)', async () => {
    const noUrl = await bcbridge(['--config', noUrlFile, 'webhooks', 'register', '--shop', 'shop'], { env });
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toContain('server.publicUrl: is needed to register webhooks');
    const woo = await bcbridge(['--config', configFile, 'webhooks', 'register', '--shop', 'woo'], { env });
    expect(woo.code).toBe(2);
    expect(woo.stderr).toContain('webhookSecret: is needed to register WooCommerce webhooks');
    const unknown = await bcbridge(['--config', configFile, 'webhooks', 'list', '--shop', 'nope'], { env });
    expect(unknown.code).toBe(2);
  });
});
