import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript module of the launcher, no type declarations
import { buildIsCurrent } from '../bin/build-is-current.js';

/** bin/bcbridge.js runs dist/ only while the build is at least as new as every source it was built from. */
describe('bin: compiled build or sources', () => {
  let root: string;
  const at = (s: number) => new Date(s * 1000);
  const file = (rel: string, mtimeS: number) => {
    const path = join(root, rel);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, '// x\n');
    utimesSync(path, at(mtimeS), at(mtimeS));
  };
  const stamp = (builtS: number) => {
    mkdirSync(join(root, 'dist'), { recursive: true });
    writeFileSync(join(root, 'dist', '.build-stamp'), `${builtS * 1000}\n`);
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'bcbridge-bin-'));
    file('src/cli/main.ts', 1_000);
    file('bench/run.ts', 1_000);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('is not current without a build', () => {
    expect(buildIsCurrent(root)).toBe(false);
  });

  it('is current when built after every source', () => {
    stamp(2_000);
    expect(buildIsCurrent(root)).toBe(true);
  });

  it('is stale when a source in src/ or bench/ changed after the build began', () => {
    stamp(2_000);
    file('src/pipeline/export.ts', 2_001);
    expect(buildIsCurrent(root)).toBe(false);
    rmSync(join(root, 'src/pipeline/export.ts'));
    file('bench/lib/drain.ts', 2_001);
    expect(buildIsCurrent(root)).toBe(false);
  });

  it('ignores tests and benchmark result files, which are not compiled', () => {
    stamp(2_000);
    file('src/pipeline/export.test.ts', 3_000);
    file('bench/results/overhead-sqlite-latest.json', 3_000);
    expect(buildIsCurrent(root)).toBe(true);
  });

  it('is not current when the stamp is not a time', () => {
    mkdirSync(join(root, 'dist'), { recursive: true });
    writeFileSync(join(root, 'dist', '.build-stamp'), 'garbage\n');
    expect(buildIsCurrent(root)).toBe(false);
  });
});
