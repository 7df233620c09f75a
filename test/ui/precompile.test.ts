/**
 * Precompiled JSX (src/ui/jsx/precompile.ts) writes what the JSX runtime writes, byte for byte: each
 * module below is compiled twice with esbuild, once as automatic-runtime JSX and once precompiled, and
 * both render the same request. (`npm run build` bundles the server precompiled; the browser suites
 * then check every page.)
 */
import type { Context } from 'hono';
import { transformSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import * as runtime from '../../src/ui/jsx/jsx-runtime.ts';
import { normalizeJsxText, precompileJsx } from '../../src/ui/jsx/precompile.ts';

const c = { name: 'this request' } as unknown as Context;

/** Compiles a module's source and returns what its `default` export renders for request `c`. */
function renderModule(source: string, precompiled: boolean): string {
  const code = transformSync(precompiled ? precompileJsx(source, 'case.tsx') : source, {
    loader: 'tsx',
    jsx: 'automatic',
    jsxImportSource: '#jsx',
    format: 'cjs',
  }).code;
  const mod = { exports: {} as { default: () => unknown } };
  const require = (name: string) => {
    if (name !== '#jsx/jsx-runtime') throw new Error(`unexpected import ${name}`);
    return runtime;
  };
  new Function('require', 'module', 'exports', code)(require, mod, mod.exports);
  return runtime.render(c, mod.exports.default());
}

const cases: Record<string, string> = {
  'text, whitespace across lines and escaping': `
    export default () => (
      <p class="a">
        Hello,   world's "best"
        <b>bold</b>{' '}
        and <i>more</i>  text, ünïcødé 中文 ’quotes’
        {'<x> & y'}
      </p>
    );`,
  'attributes of every kind': `
    const v = { toString: () => 'obj' };
    export default () => (
      <div id={'x"y'} className="c" data-n={3} data-t={true} data-f={false} hidden={false} inert={true} data-null={null}
        data-u={undefined} data-o={v} aria-label={\`a \${1 + 1}\`} title="it's">
        <label htmlFor="f">L</label>
        <input type="checkbox" checked disabled={false} value={0} />
        <input></input>
        <br />
        <textarea>{''}</textarea>
      </div>
    );`,
  'components, children and fragments': `
    const Box = ({ title, children }: { title: string; children?: unknown }) => <section><h2>{title}</h2>{children ?? <em>none</em>}</section>;
    const List = ({ items }: { items: string[] }) => <ul>{items.map((i) => <li key={i}>{i}</li>)}</ul>;
    export default () => (
      <>
        <Box title="one" />
        <Box title="two">only</Box>
        <Box title="three">
          a <b>b</b> {'c'}
          <List items={['x', 'y']} />
        </Box>
        {[1, 2].map((n) => (n > 1 ? <span>{n}</span> : null))}
        {false && <p>never</p>}
        <>
          <i>nested</i>
        </>
      </>
    );`,
  'spread props and JSX in attribute values': `
    const Pass = (p: { label: unknown; extra: string }) => <p data-extra={p.extra}>{p.label}</p>;
    const hx = { 'data-hx-post': '/x', method: 'post' };
    export default () => (
      <div>
        <form action="/a" {...hx} class="f">
          <button>Go</button>
        </form>
        <Pass {...{ extra: 'e' }} label={<b>bold</b>} />
      </div>
    );`,
  'JSX made outside the render, rendered inside it': `
    import { useRequestContext } from '#jsx/jsx-runtime';
    const Who = () => <b>{(useRequestContext() as unknown as { name: string }).name}</b>;
    const early = <main><Who /> and <i>more</i></main>;
    export default () => <div>{early}</div>;`,
};

describe('precompiled JSX', () => {
  for (const [name, source] of Object.entries(cases)) {
    it(`writes what the runtime writes: ${name}`, () => {
      const expected = renderModule(source, false);
      expect(expected.length).toBeGreaterThan(20);
      expect(renderModule(source, true)).toBe(expected);
    });
  }

  it('writes the static markup out at build time', () => {
    const out = precompileJsx('export const A = (p: { x: string }) => <p class="a">Hi <b>{p.x}</b></p>;', 'a.tsx');
    expect(out).toContain('"<p class=\\"a\\">Hi <b>" + __c((p.x)) + "</b></p>"');
    expect(out).not.toMatch(/__jsx\("p"/);
  });

  it('leaves a file without JSX as it is, and refuses HTML entities it would have to decode', () => {
    expect(precompileJsx('export const a = 1 < 2;', 'a.ts')).toBe('export const a = 1 < 2;');
    expect(() => precompileJsx('export const A = () => <p>Tom &amp; Jerry</p>;', 'e.tsx')).toThrow(/e\.tsx:1:.*entities/);
  });

  it('reads JSX text as React and esbuild do', () => {
    expect(normalizeJsxText('\n   Hello\n   world  \n  ')).toBe('Hello world');
    expect(normalizeJsxText(' a ')).toBe(' a ');
    expect(normalizeJsxText('  \n  ')).toBe('');
    expect(normalizeJsxText('a\t\n\tb')).toBe('a b');
  });
});
