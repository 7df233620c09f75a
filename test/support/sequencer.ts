/**
 * The order test files start in: the long ones first, so that two workers finish together. A clean
 * clone (CI) has no timings from an earlier run, and vitest's own order then started the 3-minute
 * accessibility file and other browser files late, leaving one worker idle at the end. Within each
 * group vitest's order stands (longest first when it has timings, else largest file first).
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const group = (id: string) => (id.endsWith('/test/e2e/a11y.test.ts') ? 0 : id.includes('/test/e2e/') || id.endsWith('/test/hostile/fuzz.test.ts') ? 1 : 2);

export class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return (await super.sort(files)).sort((a, b) => group(a.moduleId) - group(b.moduleId));
  }
}
