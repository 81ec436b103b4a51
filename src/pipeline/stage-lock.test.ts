import { describe, expect, it } from 'vitest';
import type { PipelineContext } from './context.js';
import { withStageLock } from './stage-lock.js';

describe('withStageLock', () => {
  it('runs one holder of a key at a time per context, in call order, and lets other contexts run alongside', async () => {
    const a = {} as PipelineContext;
    const b = {} as PipelineContext;
    const log: string[] = [];
    let running = 0;
    let maxRunning = 0;
    const job = (name: string) => async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      log.push(`start ${name}`);
      await new Promise((r) => setTimeout(r, 20));
      log.push(`end ${name}`);
      running--;
      return name;
    };
    const results = await Promise.all([withStageLock(a, 'export', job('a1')), withStageLock(a, 'export', job('a2'))]);
    expect(results).toEqual(['a1', 'a2']);
    expect(log).toEqual(['start a1', 'end a1', 'start a2', 'end a2']);
    expect(maxRunning).toBe(1);

    maxRunning = 0;
    await Promise.all([withStageLock(a, 'export', job('a3')), withStageLock(b, 'export', job('b1'))]);
    expect(maxRunning).toBe(2);
  });

  it('a failing holder does not block the next one', async () => {
    const a = {} as PipelineContext;
    const failing = withStageLock(a, 'verify', async () => {
      throw new Error('boom');
    });
    await expect(failing).rejects.toThrow('boom');
    await expect(withStageLock(a, 'verify', async () => 'ok')).resolves.toBe('ok');
  });
});
