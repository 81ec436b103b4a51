#!/usr/bin/env node
// Runs the compiled build (dist/, from `npm run build`, which `npm install` runs) when it is up to date
// with its sources: it starts in about a third of the CPU time. Otherwise, e.g. right after a source file
// was edited, it runs the TypeScript sources through tsx, so `npx bcbridge` never runs stale code.
// BCBRIDGE_FROM_SOURCE=1 forces the sources.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildIsCurrent } from './build-is-current.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

if (process.env.BCBRIDGE_FROM_SOURCE !== '1' && buildIsCurrent(root)) {
  await import(pathToFileURL(join(root, 'dist', 'src', 'cli', 'main.js')).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
