// `npm run build` (also run by `npm install` through `prepare`): compiles src/ (and bench/) to dist/ with tsc and
// copies the panel's static files. bin/bcbridge.js runs dist/ only while it is at least as new as every
// file it was built from (bin/build-is-current.js), so a stale build is never run by mistake.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const startedAt = Date.now();
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });
mkdirSync(join(root, 'dist', 'src', 'panel'), { recursive: true });
cpSync(join(root, 'src', 'panel', 'assets'), join(root, 'dist', 'src', 'panel', 'assets'), { recursive: true });
// The stamp records when the build *started*: a source saved while tsc ran counts as newer than the build.
writeFileSync(join(root, 'dist', '.build-stamp'), `${startedAt}\n`);
console.log(`bcbridge: built dist/ in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
