/**
 * vitest globalSetup: the browser suites drive Debian's Chromium (never a downloaded build), with a
 * Chinese font so zh pages are laid out (and their words measured) as a reader sees them. When either is
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
const CJK_FONT = '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc';

export default function ensureChromium(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'pd-audit-'));
  project.provide('auditRegistry', join(dir, 'audited'));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  if (existsSync(CHROMIUM) && existsSync(CJK_FONT)) return cleanup;
  if (process.getuid?.() !== 0)
    throw new Error('Chromium or its Chinese font is missing: run `sudo apt-get install -y chromium fonts-wqy-zenhei`, then npm test again.');
  console.log('Installing Debian chromium and a Chinese font for the browser tests (apt-get)…');
  execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-zenhei', { stdio: 'inherit' });
  return cleanup;
}
