/**
 * Where a process spent its CPU time, from the `.cpuprofile` files `node --cpu-prof` writes: the self time
 * of every sample taken inside the given windows (so start-up and shutdown do not count), summed by where
 * the code lives: a package under node_modules, unireg's own `dist/`, Node's internals, or V8's
 * garbage collector. Windows are in microseconds of the monotonic clock, which V8 stamps samples with too
 * (`process.hrtime.bigint() / 1000n`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Window {
  from: number;
  to: number;
}

export interface Share {
  where: string;
  share: number;
}

function placeOf({ functionName, url }: ProfileNode['callFrame']): string | null {
  if (functionName === '(idle)') return null;
  if (functionName === '(garbage collector)') return 'V8 garbage collector';
  if (functionName === '(program)') return 'V8 (compiler, runtime)';
  const packagePath = url.split('/node_modules/').at(-1);
  if (packagePath !== undefined && packagePath !== url) {
    const [scope, name] = packagePath.split('/');
    return scope.startsWith('@') ? `${scope}/${name}` : scope;
  }
  if (url.includes('/dist/')) return 'unireg (dist/)';
  // Native calls (socket and file writes, the SQLite engine, bcrypt's binding) have no script.
  return url === '' ? 'Node native calls (syscalls, SQLite, bindings)' : "Node's JavaScript (http, streams, events)";
}

/** Shares of the busy time inside `windows`, largest first; `top` places, the rest summed as "other". */
export function summarizeProfiles(directory: string, windows: Window[], top = 12): { busySeconds: number; shares: Share[] } {
  const byPlace = new Map<string, number>();
  let busy = 0;
  for (const file of readdirSync(directory).filter((name) => name.endsWith('.cpuprofile'))) {
    const profile = JSON.parse(readFileSync(join(directory, file), 'utf8')) as Profile;
    const places = new Map(profile.nodes.map((node) => [node.id, placeOf(node.callFrame)]));
    let time = profile.startTime;
    for (let i = 0; i < profile.samples.length; i++) {
      const delta = profile.timeDeltas[i] ?? 0;
      time += delta;
      const place = places.get(profile.samples[i]);
      if (place && windows.some((window) => time >= window.from && time <= window.to)) {
        byPlace.set(place, (byPlace.get(place) ?? 0) + delta);
        busy += delta;
      }
    }
  }
  const sorted = [...byPlace].sort((a, b) => b[1] - a[1]);
  const shares = sorted.slice(0, top).map(([where, micros]) => ({ where, share: micros / busy }));
  const rest = sorted.slice(top).reduce((sum, [, micros]) => sum + micros, 0);
  if (rest > 0) shares.push({ where: 'other packages', share: rest / busy });
  return { busySeconds: busy / 1e6, shares };
}
