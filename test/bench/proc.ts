/** Memory of a process from /proc (Linux): the server's resident set, sampled while it is under load. */
import { readdirSync, readFileSync } from 'node:fs';

function statusField(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

function parentOf(pid: number): number | null {
  try {
    // "pid (comm) state ppid ..." — comm may hold spaces or parentheses, so read after the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/** `root` and every process below it. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const parent = parentOf(pid);
    if (parent !== null) children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  const out: number[] = [];
  const walk = (pid: number) => {
    out.push(pid);
    for (const child of children.get(pid) ?? []) walk(child);
  };
  walk(root);
  return out;
}

/**
 * The process that runs the server: the last process under `root` whose command line names the
 * script (the child itself when it is started with node directly).
 */
export function serverProcess(root: number, script: string): number {
  const candidates = processTree(root).filter((pid) => cmdline(pid).includes(script));
  return candidates.at(-1) ?? root;
}

/** Polls VmRSS and reads the kernel's high-water mark (VmHWM), which also catches peaks between polls. */
export class RssSampler {
  peak = 0;
  private timer: NodeJS.Timeout;
  constructor(
    readonly pid: number,
    everyMs = 100,
  ) {
    this.timer = setInterval(() => this.sample(), everyMs);
    this.timer.unref();
  }
  sample(): number {
    const rss = statusField(this.pid, 'VmRSS') ?? 0;
    const hwm = statusField(this.pid, 'VmHWM') ?? 0;
    this.peak = Math.max(this.peak, rss, hwm);
    return rss;
  }
  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return this.peak;
  }
}
