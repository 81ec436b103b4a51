import { describe, expect, it } from 'vitest';
import { describeHeap, heapSettings } from './heap-settings.js';

describe('heap settings for doctor', () => {
  it('reads both flags from NODE_OPTIONS and the command line, the later one winning', () => {
    const h = heapSettings(['--max-semi-space-size=32'], '--max-old-space-size=512 --max_old_space_size=1536', 1711 * 1024 * 1024);
    expect(h).toEqual({ limitMb: 1711, oldSpaceMb: 1536, semiSpaceMb: 32, asRecommended: true });
    expect(describeHeap(h)).toBe('heap limit 1711 MB (--max-old-space-size=1536 --max-semi-space-size=32)');
  });

  it("names the recommendation when a setting is missing or lower", () => {
    const none = heapSettings([], undefined, 4144 * 1024 * 1024);
    expect(none).toEqual({ limitMb: 4144, asRecommended: false });
    expect(describeHeap(none)).toBe(`heap limit 4144 MB (Node's defaults); for the service, NODE_OPTIONS="--max-old-space-size=1536 --max-semi-space-size=32" spends less CPU on garbage collection (docs/configuration.md "Memory")`);
    expect(heapSettings([], '--max-old-space-size=512 --max-semi-space-size=32', 0).asRecommended).toBe(false);
    expect(heapSettings([], '--max-old-space-size=2048', 0).asRecommended).toBe(false);
  });
});
