/**
 * partnerdesk's JSX runtime (tsconfig `jsxImportSource: "#jsx"`): JSX written as with hono/jsx, rendered
 * straight to strings. Inside a render every element becomes its HTML the moment it is created, so a page
 * costs string concatenation, not a tree of nodes walked afterwards (docs/decisions/086). Only JSX created
 * outside a render (a route handler's `<SubscriptionsPage … />`) waits, as a `Deferred`, until the layout
 * or a fragment renders it with the request's context.
 *
 * The markup is hono/jsx's, byte for byte: void elements as `<input …/>`, boolean attributes as
 * `checked=""`, other booleans as "true"/"false", `& < > " '` escaped, null, undefined and false left out.
 * What it does not support it refuses with an error naming the element (never renders it silently):
 * `dangerouslySetInnerHTML`, event handlers and other functions, objects as attribute values
 * (`style={{…}}`), JSX as an attribute value, async components, and objects as children.
 */
import type { Context, Env } from 'hono';
import type { JSX } from 'hono/jsx/jsx-runtime';

export type { JSX };

/** HTML that is safe to write as it is: rendered markup, never text from outside. */
export class Html {
  constructor(readonly html: string) {}
  toString() {
    return this.html;
  }
}

/** JSX created outside a render: a component (or an element holding one) that needs the request's context. */
export class Deferred {
  constructor(readonly run: () => unknown) {}
  toString(): string {
    throw new Error('JSX rendered outside a request: use render(c, node)');
  }
}

let current: Context | null = null;

/** Renders `node` for request `c` (what `useRequestContext` returns meanwhile). */
export function render(c: Context, node: unknown): string {
  if (current === c) return toHtml(node);
  const outer = current;
  current = c;
  try {
    return toHtml(node);
  } finally {
    current = outer;
  }
}

/** The context of the request being rendered; only inside a render (a component). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- hono's own default for an unnamed Env
export function useRequestContext<E extends Env = any>(): Context<E> {
  if (!current) throw new Error('useRequestContext() outside a render');
  return current as Context<E>;
}

const ESCAPED = /[&<>"']/;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeAll = /[&<>"']/g;
const replace = (ch: string) => ESCAPES[ch];

export function escape(text: string): string {
  return ESCAPED.test(text) ? text.replace(escapeAll, replace) : text;
}

/** The HTML of any child: text escaped, numbers written, true/false/null/undefined left out, arrays in order. */
function toHtml(child: unknown): string {
  if (typeof child === 'string') return escape(child);
  if (child instanceof Html) return child.html;
  if (child === null || child === undefined || typeof child === 'boolean') return '';
  if (typeof child === 'number') return String(child);
  if (Array.isArray(child)) {
    let out = '';
    for (const c of child) out += toHtml(c);
    return out;
  }
  if (child instanceof Deferred) return toHtml(child.run());
  if (child instanceof Promise) throw new Error('JSX: async components are not supported (a child is a Promise): render what was awaited.');
  if (typeof child === 'object' && (Object.getPrototypeOf(child) === Object.prototype || Object.getPrototypeOf(child) === null))
    throw new Error(`JSX: an object is not a child (${JSON.stringify(child).slice(0, 60)}): render one of its fields.`);
  return escape(String(child));
}

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
const BOOLEAN = new Set([
  'allowfullscreen',
  'async',
  'autofocus',
  'autoplay',
  'checked',
  'controls',
  'default',
  'defer',
  'disabled',
  'download',
  'formnovalidate',
  'hidden',
  'inert',
  'ismap',
  'itemscope',
  'loop',
  'multiple',
  'muted',
  'nomodule',
  'novalidate',
  'open',
  'playsinline',
  'readonly',
  'required',
  'reversed',
  'selected',
]);
const RENAMED: Record<string, string> = { className: 'class', htmlFor: 'for', httpEquiv: 'http-equiv' };
// eslint-disable-next-line no-control-regex -- control characters are exactly what an attribute name may not hold
const VALID_NAME = /^[^\s"'<>/=`\\\x00-\x1f\x7f-\x9f]+$/;
const validNames = new Set<string>();
function valid(name: string): boolean {
  if (validNames.has(name)) return true;
  if (!VALID_NAME.test(name)) return false;
  if (validNames.size < 1024) validNames.add(name);
  return true;
}

let swapAttributes = 0;
/**
 * How many htmx attributes (`data-hx-…`) the runtime has written since the process started. Rendering is
 * synchronous, so the difference across one render is that render's count: a page only loads htmx when
 * it has something to swap (src/ui/layout.tsx), told without searching the page's text.
 */
export const swapAttributesWritten = () => swapAttributes;

/** One attribute as the runtime writes it: ` name="value"`, or nothing (null, undefined, false of a boolean attribute, an invalid name). */
export function attributeHtml(key: string, v: unknown, tag: string): string {
  if (v === null || v === undefined) return '';
  if (key === 'dangerouslySetInnerHTML') throw new Error(`JSX: dangerouslySetInnerHTML on <${tag}> is not supported: pass the markup as a child.`);
  const name = RENAMED[key] ?? key;
  if (!valid(name)) return '';
  if (name.startsWith('data-hx-')) swapAttributes++;
  if (typeof v === 'string') return ` ${name}="${escape(v)}"`;
  if (typeof v === 'boolean') return BOOLEAN.has(name) ? (v ? ` ${name}=""` : '') : ` ${name}="${v}"`;
  if (typeof v === 'number' || typeof v === 'bigint') return ` ${name}="${v}"`;
  if (typeof v === 'function') throw new Error(`JSX: ${key}={function} on <${tag}>: event handlers and functions are not rendered on the server.`);
  if (v instanceof Html || v instanceof Deferred) throw new Error(`JSX: ${key} on <${tag}> is given JSX: an attribute takes text.`);
  if (typeof v === 'object' && (Array.isArray(v) || Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null))
    throw new Error(`JSX: ${key}={{…}} on <${tag}> is an object: write the attribute as a string (style="…").`);
  if (v instanceof Promise) throw new Error(`JSX: ${key} on <${tag}> is a Promise: attributes take text.`);
  return ` ${name}="${escape(String(v))}"`;
}

function attributes(props: Record<string, unknown>, tag: string): string {
  let out = '';
  for (const key in props) if (key !== 'children' && key !== 'key' && key !== 'ref') out += attributeHtml(key, props[key], tag);
  return out;
}

export const isVoidElement = (tag: string) => VOID.has(tag);

function element(tag: string, props: Record<string, unknown>): Html {
  const children = props.children;
  const open = `<${tag}${attributes(props, tag)}`;
  if (VOID.has(tag) && (children === undefined || (Array.isArray(children) && children.length === 0))) return new Html(`${open}/>`);
  return new Html(`${open}>${toHtml(children)}</${tag}>`);
}

type Component = (props: Record<string, unknown>) => unknown;

function call(type: Component, props: Record<string, unknown>): Html {
  const out = type(props);
  if (out instanceof Promise) throw new Error(`JSX: <${type.name || 'Component'}> is async: components must return their markup (await before rendering).`);
  return new Html(toHtml(out));
}

/** The automatic runtime's entry point: `<tag …>` and `<Component …>`. */
export function jsx(type: string | Component, props: Record<string, unknown>): JSX.Element {
  if (current === null) return new Deferred(() => (typeof type === 'function' ? call(type, props) : element(type, props))) as unknown as JSX.Element;
  return (typeof type === 'function' ? call(type, props) : element(type, props)) as unknown as JSX.Element;
}

export const jsxs = jsx;

/** `<>…</>` */
export function Fragment(props: { children?: unknown }): JSX.Element {
  return new Html(toHtml(props.children)) as unknown as JSX.Element;
}

/*
 * What precompiled JSX calls (src/ui/jsx/precompile.ts, decision 113): an element written out as one
 * concatenation, `__e(() => "<td" + __a("data-label", label, "td") + ">" + __c(text) + "</td>")`. Its
 * dynamic parts go through the runtime's own rules, so both write the same HTML.
 */
/** An element's markup: now inside a render, or as a `Deferred` outside one (as `jsx()` does). */
export function __e(build: () => string): JSX.Element {
  return (current === null ? new Deferred(() => new Html(build())) : new Html(build())) as unknown as JSX.Element;
}
/** One dynamic attribute. */
export const __a = attributeHtml;
/** One dynamic child. */
export const __c = toHtml;
