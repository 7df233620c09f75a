/**
 * The JSX runtime (src/ui/jsx/jsx-runtime.ts) writes hono/jsx's markup: these are the rules every page
 * relies on, checked on small elements (the suites' pages check them at scale, html-validate included).
 */
import type { Context } from 'hono';
import { describe, expect, it } from 'vitest';
import { Deferred, render, useRequestContext } from '../../src/ui/jsx/jsx-runtime.ts';

const c = { name: 'this request' } as unknown as Context;
const html = (node: unknown) => render(c, node);

function Greeting({ who }: { who: string }) {
  return (
    <p class="greeting">
      Hello, {who}, from {(useRequestContext() as unknown as { name: string }).name}
    </p>
  );
}

describe('the JSX runtime', () => {
  it('escapes text and attribute values, and writes rendered markup as it is', () => {
    expect(html(<p title={`"x" & <y> 'z'`}>{'<script>alert(1)</script> & co'}</p>)).toBe(
      '<p title="&quot;x&quot; &amp; &lt;y&gt; &#39;z&#39;">&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</p>',
    );
    expect(html(<div>{<b>bold</b>}</div>)).toBe('<div><b>bold</b></div>');
  });

  it('writes void elements closed, boolean attributes empty, other booleans and numbers as text', () => {
    expect(html(<input type="checkbox" checked disabled={false} aria-checked={true} tabindex={-1} />)).toBe(
      '<input type="checkbox" checked="" aria-checked="true" tabindex="-1"/>',
    );
    expect(html(<script src="/a.js" defer></script>)).toBe('<script src="/a.js" defer=""></script>');
  });

  it('leaves out null, undefined and false, and writes numbers, arrays and fragments in order', () => {
    const items = ['a', 'b'];
    expect(
      html(
        <ul data-x={undefined} data-y={null}>
          {false}
          {null}
          {items.map((i) => (
            <li>{i}</li>
          ))}
          <>
            <li>{3}</li>
          </>
        </ul>,
      ),
    ).toBe('<ul><li>a</li><li>b</li><li>3</li></ul>');
  });

  it('renders JSX written outside a render later, with the request it is rendered for', () => {
    const node = <Greeting who="Ana & Jan" />;
    expect(node).toBeInstanceOf(Deferred);
    expect(html(<main>{node}</main>)).toBe('<main><p class="greeting">Hello, Ana &amp; Jan, from this request</p></main>');
    expect(() => String(node)).toThrow(/outside a request/);
    expect(() => useRequestContext()).toThrow(/outside a render/);
  });

  it('drops attribute names no HTML parser would read as one', () => {
    const props = { 'bad name': 'x', 'on"x': 'y', ok: 'z' } as Record<string, string>;
    expect(html(<span {...props} />)).toBe('<span ok="z"></span>');
  });

  it('refuses, with an error naming the element, every construct it does not render', () => {
    const attrs = (props: Record<string, unknown>) => () => html(<div {...props} />);
    expect(attrs({ style: { color: 'red' } })).toThrow(/style=\{\{…\}\} on <div> is an object/);
    expect(attrs({ class: ['a', 'b'] })).toThrow(/class=\{\{…\}\} on <div> is an object/);
    expect(attrs({ dangerouslySetInnerHTML: { __html: '<b>x</b>' } })).toThrow(/dangerouslySetInnerHTML on <div> is not supported/);
    expect(attrs({ onClick: () => {} })).toThrow(/onClick=\{function\} on <div>: event handlers/);
    expect(attrs({ title: <b>x</b> })).toThrow(/title on <div> is given JSX/);
    async function Later() {
      return <p>later</p>;
    }
    expect(() => html(<main>{(<Later />) as unknown as string}</main>)).toThrow(/<Later> is async/);
    expect(() => html(<p>{Promise.resolve('x') as unknown as string}</p>)).toThrow(/async components are not supported/);
    expect(() => html(<p>{{ a: 1 } as unknown as string}</p>)).toThrow(/an object is not a child/);
    // What it does render stays as it was: a Date or URL attribute is its text.
    expect(html(<a href={new URL('https://example.com/a?b=1&c=2') as unknown as string}>x</a>)).toBe('<a href="https://example.com/a?b=1&amp;c=2">x</a>');
  });
});
