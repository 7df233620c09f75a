/**
 * Precompiled JSX (src/ui/jsx/precompile.ts) writes what the JSX runtime writes, byte for byte: each
 * module below is compiled twice with esbuild, once as automatic-runtime JSX and once precompiled, and
 * both render the same request. (`npm run build` bundles the server precompiled; the browser suites
 * then check every page.)
 */
import type { Context } from 'hono';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, transformSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { startCommand } from '../bench/servers.ts';
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
    export default () => (
      <div id={'x"y'} className="c" data-n={3} data-t={true} data-f={false} hidden={false} inert={true} data-null={null}
        data-u={undefined} data-hx-get="/x" data-hx-swap={'outerHTML'} aria-label={\`a \${1 + 1}\`} title="it's">
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

  it('refuses what the runtime refuses: written out, when the file is built; dynamic, when the page renders', () => {
    expect(() => precompileJsx('export const A = () => (\n  <div dangerouslySetInnerHTML="<b>x</b>" />\n);', 'd.tsx')).toThrow(
      /d\.tsx:2:.*dangerouslySetInnerHTML on <div> is not supported/,
    );
    const refusals: [string, RegExp][] = [
      ['<div style={{ color: "red" }} />', /style=\{\{…\}\} on <div> is an object/],
      ['<div dangerouslySetInnerHTML={{ __html: "<b>x</b>" }} />', /dangerouslySetInnerHTML on <div> is not supported/],
      ['<button onclick={() => 1}>Go</button>', /event handlers and functions are not rendered/],
      ['<p title={<b>x</b>}>t</p>', /an attribute takes text/],
      ['<p>{{ a: 1 }}</p>', /an object is not a child/],
    ];
    for (const [jsx, refusal] of refusals) {
      const source = `export default () => ${jsx};`;
      expect(() => renderModule(source, false)).toThrow(refusal);
      expect(() => renderModule(source, true)).toThrow(refusal);
    }
  });

  it('keeps every line where it was, and says so in a source map carrying the original text', () => {
    const source = [
      'export const List = (p: { items: string[]; title: string }) => (',
      '  <section class="list">',
      '    <h2>{p.title}</h2>',
      '    <ul>',
      '      {p.items.map((i) => (',
      '        <li data-x={i}>{i}</li>',
      '      ))}',
      '    </ul>',
      '  </section>',
      ');',
      'export const after = 1;',
    ].join('\n');
    const out = precompileJsx(source, 'list.tsx');
    const lines = out.split('\n');
    expect(lines).toHaveLength(source.split('\n').length + 1); // and the map's comment
    expect(lines.findIndex((l) => l.includes('p.title'))).toBe(2);
    expect(lines.findIndex((l) => l.includes('p.items.map'))).toBe(4);
    expect(lines.findIndex((l) => l.includes('__a("data-x", (i)'))).toBe(5);
    expect(lines[10]).toBe('export const after = 1;');
    const map = JSON.parse(Buffer.from(lines.at(-1)!.replace(/^.*base64,/, ''), 'base64').toString());
    expect(map).toMatchObject({ version: 3, sources: ['list.tsx'], sourcesContent: [source] });
    expect(map.mappings.split(';')).toHaveLength(11);
  });

  it('reads JSX text as React and esbuild do', () => {
    expect(normalizeJsxText('\n   Hello\n   world  \n  ')).toBe('Hello world');
    expect(normalizeJsxText(' a ')).toBe(' a ');
    expect(normalizeJsxText('  \n  ')).toBe('');
    expect(normalizeJsxText('a\t\n\tb')).toBe('a b');
  });
});

describe('a view that fails', () => {
  it('is named by its own file and line in the stack trace of the server as npm start runs it', async () => {
    const fixture = new URL('./fixtures/throwing-view.tsx', import.meta.url).pathname;
    const dir = mkdtempSync(join(tmpdir(), 'pd-sourcemap-'));
    try {
      // Bundled as src/build.ts bundles the server: precompiled, with esbuild's source map.
      await build({
        entryPoints: [fixture],
        bundle: true,
        platform: 'node',
        format: 'esm',
        jsx: 'automatic',
        jsxImportSource: '#jsx',
        plugins: [
          {
            name: 'precompiled-jsx',
            setup: (b) =>
              b.onLoad({ filter: /throwing-view\.tsx$/ }, ({ path }) => ({ contents: precompileJsx(readFileSync(path, 'utf8'), path), loader: 'tsx' })),
          },
        ],
        outfile: join(dir, 'view.js'),
        sourcemap: true,
        logLevel: 'silent',
      });
      let stack = '';
      try {
        execFileSync(process.execPath, [...startCommand().flags, join(dir, 'view.js')], { stdio: 'pipe' });
      } catch (e) {
        stack = String((e as { stderr: Buffer }).stderr);
      }
      expect(stack).toContain('view failed at 1');
      // The throw, and the JSX child that called it, inside a precompiled element some lines into the view.
      const lineOf = (text: string) =>
        readFileSync(fixture, 'utf8')
          .split('\n')
          .findIndex((l) => l.includes(text)) + 1;
      expect(lineOf('{explode(p.n)}')).toBeGreaterThan(lineOf('<ul class="broken">') + 2);
      expect(stack).toContain(`throwing-view.tsx:${lineOf('throw new Error')}:`);
      expect(stack).toContain(`throwing-view.tsx:${lineOf('{explode(p.n)}')}:`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
