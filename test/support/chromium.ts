/**
 * vitest globalSetup: the browser suites drive Debian's Chromium (never a downloaded build). When it is
 * missing, install it with apt-get where we can (root); otherwise stop with one line saying how. Also
 * gives the run its accessibility-audit registry (a file in a fresh temporary folder, removed at the end).
 */
import { execSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The file where the browser suites note each page they audited (test/e2e/audit.ts), one per run. */
    auditRegistry: string;
  }
}

export const CHROMIUM = '/usr/bin/chromium';

export default function ensureChromium(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'pd-audit-'));
  project.provide('auditRegistry', join(dir, 'audited'));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  if (existsSync(CHROMIUM)) return cleanup;
  if (process.getuid?.() !== 0) throw new Error('Chromium is missing: run `sudo apt-get install -y chromium`, then npm test again.');
  console.log('Installing Debian chromium for the browser tests (apt-get)…');
  execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', { stdio: 'inherit' });
  return cleanup;
}
