import { describe, expect, it } from 'vitest';
import { csvCell, csvLine } from '../../src/activity/csv.ts';

describe('CSV cells', () => {
  it('quotes separators and quotes, and defuses formulas with a leading quote', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    for (const s of ['+1', '-1', '@SUM(A1)']) expect(csvCell(s)).toBe(`'${s}`);
    expect(csvCell(null)).toBe('');
    expect(csvLine(['a', 'line\nbreak'])).toBe('a,"line\nbreak"\r\n');
  });
});
