#!/usr/bin/env node
// Rebuilds dist/ only when a source file is newer than the last build, so `npm start` and
// `npm run cli` stay fast. Build output goes to stderr: the CLI's stdout is reserved for its result.
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, statSync, utimesSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const marker = join(root, 'dist', '.tsbuildinfo');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const inputs = [join(root, 'src'), join(root, 'package.json'), join(root, 'tsconfig.json')];
const newestInput = Math.max(...inputs.map((path) => (statSync(path).isDirectory() ? newestMtime(path) : statSync(path).mtimeMs)));
const stale = !existsSync(join(root, 'dist', 'main.js')) || !existsSync(marker) || statSync(marker).mtimeMs < newestInput;

if (stale) {
  process.stderr.write('unireg: building dist/ ...\n');
  const result = spawnSync(process.execPath, [require.resolve('@nestjs/cli/bin/nest.js'), 'build'], {
    cwd: root,
    stdio: ['ignore', process.stderr, process.stderr],
  });
  if (result.status !== 0) {
    process.exit(result.status ?? 1);
  }
  // tsc leaves its build info untouched when nothing changed in substance; mark the build as current.
  const now = new Date();
  utimesSync(marker, now, now);
}
