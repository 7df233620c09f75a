/**
 * Build-time JSX: rewrites the JSX of a .tsx file so an HTML element costs one string concatenation
 * instead of a props object, a children array, a call and a wrapper per element (docs/decisions/089).
 * `<td data-label={label}>{text}</td>` becomes `__e(() => "<td" + __a("data-label", label) + ">" +
 * __c(text) + "</td>")`: the static markup is written out here, nested elements join the same
 * concatenation, and only the dynamic parts go through the runtime's rules (jsx-runtime.ts), so the
 * HTML is the runtime's byte for byte. Components, and elements that spread props, stay runtime calls.
 *
 * Used by the server's bundle (src/assets/build.ts) and the tests (vitest.config.ts) for the files in
 * src/; `tsx` (npm run dev) runs the same JSX through the runtime alone.
 */
import ts from 'typescript';
import { attributeHtml, escape, isVoidElement } from './jsx-runtime.ts';

const HELPERS = `import { jsx as __jsx, __e, __a, __c } from '#jsx/jsx-runtime';\n`;

/** The files precompiled (the app's own .tsx in src/; the tests' JSX stays runtime JSX): one rule for the bundle and the tests. */
export const precompiledFiles = /[\\/]src[\\/].*\.tsx$/;

/** A piece of an element's HTML: markup known now, or a JS expression giving a string at render time. */
type Part = { html: string } | { js: string };

export function precompileJsx(source: string, fileName: string): string {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  let found = false;
  const fail = (node: ts.Node, why: string): never => {
    const { line, character } = file.getLineAndCharacterOfPosition(node.getStart(file));
    throw new Error(`${fileName}:${line + 1}:${character + 1}: ${why}`);
  };

  /** The source text of `node` with every JSX expression in it rewritten. */
  function rewrite(node: ts.Node): string {
    if (isJsx(node)) return root(node);
    let out = '';
    let at = ts.isSourceFile(node) ? 0 : node.getStart(file);
    const visit = (child: ts.Node) => {
      if (isJsx(child)) {
        out += source.slice(at, child.getStart(file)) + root(child);
        at = child.end;
      } else ts.forEachChild(child, visit);
    };
    ts.forEachChild(node, visit);
    return out + source.slice(at, node.end);
  }

  /** A JSX expression where JS expects a value: an Html (or, outside a render, a Deferred). */
  function root(node: JsxNode): string {
    found = true;
    if (isComponent(node) || hasSpreadOrChildrenProp(node)) return runtimeCall(node);
    return `__e(() => ${join(parts(node))})`;
  }

  function parts(node: JsxNode): Part[] {
    if (ts.isJsxFragment(node)) return children(node.children);
    if (isComponent(node) || hasSpreadOrChildrenProp(node)) return [{ js: `__c(${runtimeCall(node)})` }];
    const opening = ts.isJsxElement(node) ? node.openingElement : node;
    const tag = opening.tagName.getText(file);
    const out: Part[] = [{ html: `<${tag}` }];
    for (const attr of opening.attributes.properties) {
      if (!ts.isJsxAttribute(attr)) return fail(attr, 'unexpected attribute');
      const name = attr.name.getText(file);
      if (name === 'key' || name === 'ref') continue;
      const init = attr.initializer;
      if (!init) out.push({ html: attributeHtml(name, true, tag) });
      else if (ts.isStringLiteral(init)) out.push({ html: attributeHtml(name, literal(init), tag) });
      else if (ts.isJsxExpression(init) && init.expression)
        out.push({ js: `__a(${JSON.stringify(name)}, (${rewrite(init.expression)}), ${JSON.stringify(tag)})` });
      else fail(attr, 'an attribute needs a value');
    }
    const inner = ts.isJsxElement(node) ? children(node.children) : [];
    if (inner.length === 0 && isVoidElement(tag)) out.push({ html: '/>' });
    else out.push({ html: '>' }, ...inner, { html: `</${tag}>` });
    return out;
  }

  function children(list: ts.NodeArray<ts.JsxChild>): Part[] {
    const out: Part[] = [];
    for (const child of list) {
      if (ts.isJsxText(child)) {
        const text = jsxText(child);
        if (text) out.push({ html: escape(text) });
      } else if (ts.isJsxExpression(child)) {
        if (!child.expression) continue;
        const e = child.expression;
        if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) out.push({ html: escape(e.text) });
        else out.push({ js: `__c((${rewrite(e)}))` });
      } else out.push(...parts(child));
    }
    return out;
  }

  /** A component (or an element whose props are spread) as the runtime's call: `__jsx(type, props)`. */
  function runtimeCall(node: JsxNode): string {
    if (ts.isJsxFragment(node)) return fail(node, 'fragment');
    const opening = ts.isJsxElement(node) ? node.openingElement : node;
    const tagText = opening.tagName.getText(file);
    const type = isComponent(node) ? tagText : JSON.stringify(tagText);
    const props: string[] = [];
    for (const attr of opening.attributes.properties) {
      if (ts.isJsxSpreadAttribute(attr)) {
        props.push(`...${rewrite(attr.expression)}`);
        continue;
      }
      const name = attr.name.getText(file);
      if (name === 'key') continue;
      const init = attr.initializer;
      const value = !init
        ? 'true'
        : ts.isStringLiteral(init)
          ? JSON.stringify(literal(init))
          : ts.isJsxExpression(init) && init.expression
            ? `(${rewrite(init.expression)})`
            : fail(attr, 'an attribute needs a value');
      props.push(`${JSON.stringify(name)}: ${value}`);
    }
    const kids = ts.isJsxElement(node) ? childValues(node.children) : [];
    if (kids.length === 1) props.push(`children: ${kids[0]}`);
    else if (kids.length > 1) props.push(`children: [${kids.join(', ')}]`);
    return `__jsx(${type}, {${props.join(', ')}})`;
  }

  /** Children as the automatic runtime passes them to a component: text, values and elements. */
  function childValues(list: ts.NodeArray<ts.JsxChild>): string[] {
    const out: string[] = [];
    for (const child of list) {
      if (ts.isJsxText(child)) {
        const text = jsxText(child);
        if (text) out.push(JSON.stringify(text));
      } else if (ts.isJsxExpression(child)) {
        if (child.expression) out.push(`(${rewrite(child.expression)})`);
      } else out.push(root(child));
    }
    return out;
  }

  function literal(node: ts.StringLiteral): string {
    const raw = node.getText(file).slice(1, -1);
    if (raw.includes('&')) fail(node, 'HTML entities in JSX attributes are not supported: write the character');
    return raw;
  }

  function jsxText(node: ts.JsxText): string {
    if (node.text.includes('&')) fail(node, 'HTML entities in JSX text are not supported: write the character, or {"&"}');
    return normalizeJsxText(node.text);
  }

  const body = rewrite(file);
  return found ? HELPERS + body : source;
}

type JsxNode = ts.JsxElement | ts.JsxSelfClosingElement | ts.JsxFragment;

function isJsx(node: ts.Node): node is JsxNode {
  return ts.isJsxElement(node) || ts.isJsxSelfClosingElement(node) || ts.isJsxFragment(node);
}

function isComponent(node: JsxNode): boolean {
  if (ts.isJsxFragment(node)) return false;
  const tag = (ts.isJsxElement(node) ? node.openingElement : node).tagName;
  return !(ts.isIdentifier(tag) && /^[a-z]/.test(tag.text));
}

function hasSpreadOrChildrenProp(node: JsxNode): boolean {
  if (ts.isJsxFragment(node)) return false;
  const opening = ts.isJsxElement(node) ? node.openingElement : node;
  return opening.attributes.properties.some((a) => ts.isJsxSpreadAttribute(a) || a.name.getText() === 'children');
}

/** JSX text as React, TypeScript and esbuild read it: lines trimmed, blank lines dropped, lines joined by one space. */
export function normalizeJsxText(text: string): string {
  const lines = text.split(/\r\n|\n|\r/);
  let last = 0;
  lines.forEach((l, i) => {
    if (/[^ \t]/.test(l)) last = i;
  });
  let out = '';
  lines.forEach((line, i) => {
    let l = line.replace(/\t/g, ' ');
    if (i !== 0) l = l.replace(/^ +/, '');
    if (i !== lines.length - 1) l = l.replace(/ +$/, '');
    if (l) out += i === last ? l : `${l} `;
  });
  return out;
}

/** Adjacent markup merged into one literal; the rest joined with `+`. */
function join(parts: Part[]): string {
  const merged: Part[] = [];
  for (const p of parts) {
    const prev = merged[merged.length - 1];
    if ('html' in p && prev && 'html' in prev) merged[merged.length - 1] = { html: prev.html + p.html };
    else merged.push(p);
  }
  if (merged.length === 0) return '""';
  const out = merged.map((p) => ('html' in p ? JSON.stringify(p.html) : p.js));
  return 'html' in merged[0] ? out.join(' + ') : `"" + ${out.join(' + ')}`;
}
