import { defineConfig } from 'vitest/config';
import { LongestFirst } from './test/support/sequencer.ts';
import { precompileJsx, precompiledFiles } from './src/ui/jsx/precompile.ts';

export default defineConfig({
  // The app's JSX as the server's bundle runs it: precompiled (src/ui/jsx/precompile.ts), with its line
  // map inline. The tests' own JSX stays runtime JSX.
  plugins: [
    {
      name: 'precompiled-jsx',
      enforce: 'pre',
      transform: (code, id) => (precompiledFiles.test(id) ? { code: precompileJsx(code, id) } : undefined),
    },
  ],
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    globalSetup: ['test/support/chromium.ts'],
    setupFiles: ['test/support/setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    // Browser suites each start a server and Chromium; one per core is plenty on the 2-core CI machine.
    fileParallelism: true,
    sequence: { sequencer: LongestFirst },
  },
});
