// Whether dist/ (from `npm run build`) may be run: built, and not older than any file it is built from.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** What the build compiles: src/ and the benchmark harness that src/cli/commands/bench.ts loads on demand. */
const BUILT_FROM = ['src', 'bench'];

/** True when `root/dist/.build-stamp` exists and no source under BUILT_FROM was changed after that build began. */
export function buildIsCurrent(root) {
  let builtAt;
  try {
    builtAt = Number(readFileSync(join(root, 'dist', '.build-stamp'), 'utf8'));
  } catch {
    return false;
  }
  if (!Number.isFinite(builtAt)) return false;
  for (const dir of BUILT_FROM) {
    let entries;
    try {
      entries = readdirSync(join(root, dir), { recursive: true, withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      // Tests are not compiled; bench/results/*.json are outputs.
      if (!entry.isFile() || entry.name.endsWith('.test.ts') || entry.name.endsWith('.json')) continue;
      if (statSync(join(entry.parentPath ?? entry.path, entry.name)).mtimeMs > builtAt) return false;
    }
  }
  return true;
}
