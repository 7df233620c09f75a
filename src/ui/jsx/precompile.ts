/**
 * Build-time JSX: rewrites the JSX of a .tsx file so an HTML element costs one string concatenation
 * instead of a props object, a children array, a call and a wrapper per element (docs/decisions/113).
 * `<td data-label={label}>{text}</td>` becomes `__e(() => "<td" + __a("data-label", label) + ">" +
 * __c(text) + "</td>")`: the static markup is written out here, nested elements join the same
 * concatenation, and only the dynamic parts go through the runtime's rules (jsx-runtime.ts), so the
 * HTML is the runtime's byte for byte. Components, and elements that spread props, stay runtime calls.
 * What the runtime refuses, this refuses too: at build time with the file and line (entities, a
 * `dangerouslySetInnerHTML` written out), else at render time through the runtime's own checks.
 *
 * The output keeps every line where it was: each dynamic part starts on its source line, and a JSX
 * expression takes as many lines as it did. It carries a source map saying so (with the original text),
 * so a stack trace through a view names the view's own line (test/ui/precompile.test.ts).
 *
 * Used by the server's bundle (src/build.ts) and the tests (vitest.config.ts) for the files in
 * src/; `tsx` (npm run dev) runs the same JSX through the runtime alone.
 */
import ts from 'typescript';
import { attributeHtml, escape, isVoidElement } from './jsx-runtime.ts';

const HELPERS = `import { jsx as __jsx, __e, __a, __c } from '#jsx/jsx-runtime'; `;

/** The files precompiled (the app's own .tsx in src/; the tests' JSX stays runtime JSX): one rule for the bundle and the tests. */
export const precompiledFiles = /[\\/]src[\\/].*\.tsx$/;

/** A piece of an element's HTML: markup known now, or a JS expression (from source line `line`) giving a string at render time. */
type Part = { html: string } | { js: string; line: number };

export function precompileJsx(source: string, fileName: string): string {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TSX);
  let found = false;
  const fail = (node: ts.Node, why: string): never => {
    const { line, character } = file.getLineAndCharacterOfPosition(node.getStart(file));
    throw new Error(`${fileName}:${line + 1}:${character + 1}: ${why}`);
  };
  const lineOf = (pos: number) => file.getLineAndCharacterOfPosition(pos).line;
  const startLine = (node: ts.Node) => lineOf(node.getStart(file));
  const endLine = (node: ts.Node) => lineOf(node.end);
  /** A static attribute as the runtime would write it, or the runtime's refusal with this file and line. */
  const staticAttribute = (node: ts.Node, name: string, value: string | true, tag: string): string => {
    try {
      return attributeHtml(name, value, tag);
    } catch (e) {
      return fail(node, (e as Error).message);
    }
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
    return `__e(() => ${join(parts(node), startLine(node), endLine(node))})`;
  }

  function parts(node: JsxNode): Part[] {
    if (ts.isJsxFragment(node)) return children(node.children);
    if (isComponent(node) || hasSpreadOrChildrenProp(node)) return [{ js: `__c(${runtimeCall(node)})`, line: startLine(node) }];
    const opening = ts.isJsxElement(node) ? node.openingElement : node;
    const tag = opening.tagName.getText(file);
    const out: Part[] = [{ html: `<${tag}` }];
    for (const attr of opening.attributes.properties) {
      if (!ts.isJsxAttribute(attr)) return fail(attr, 'unexpected attribute');
      const name = attr.name.getText(file);
      if (name === 'key' || name === 'ref') continue;
      const init = attr.initializer;
      if (!init || ts.isStringLiteral(init)) {
        const value = init ? literal(init) : true;
        const html = staticAttribute(attr, name, value, tag);
        // An htmx attribute goes through the runtime even when static: it counts them (the layout loads htmx by that count).
        if (name.startsWith('data-hx-'))
          out.push({ js: `__a(${JSON.stringify(name)}, ${JSON.stringify(value)}, ${JSON.stringify(tag)})`, line: startLine(attr) });
        else out.push({ html });
      } else if (ts.isJsxExpression(init) && init.expression)
        out.push({ js: `__a(${JSON.stringify(name)}, (${rewrite(init.expression)}), ${JSON.stringify(tag)})`, line: startLine(init.expression) });
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
        else out.push({ js: `__c((${rewrite(e)}))`, line: startLine(e) });
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
    const props: Piece[] = [];
    for (const attr of opening.attributes.properties) {
      if (ts.isJsxSpreadAttribute(attr)) {
        props.push({ js: `...${rewrite(attr.expression)}`, line: startLine(attr) });
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
      props.push({ js: `${JSON.stringify(name)}: ${value}`, line: startLine(attr) });
    }
    const kids = ts.isJsxElement(node) ? childValues(node.children) : [];
    const start = startLine(node);
    const named = lined(props, start);
    let inner = named.code;
    if (kids.length) {
      const given = lined(kids, named.line).code;
      inner += `${props.length ? ', ' : ''}children: ${kids.length === 1 ? given : `[${given}]`}`;
    }
    return `__jsx(${type}, {${padTo(inner, start, endLine(node))}})`;
  }

  /** Children as the automatic runtime passes them to a component: text, values and elements. */
  function childValues(list: ts.NodeArray<ts.JsxChild>): Piece[] {
    const out: Piece[] = [];
    for (const child of list) {
      if (ts.isJsxText(child)) {
        const text = jsxText(child);
        if (text) out.push({ js: JSON.stringify(text), line: startLine(child) });
      } else if (ts.isJsxExpression(child)) {
        if (child.expression) out.push({ js: `(${rewrite(child.expression)})`, line: startLine(child.expression) });
      } else out.push({ js: root(child), line: startLine(child) });
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

  // The helpers' import goes on the first line, beside what is there, so no line moves.
  const body = rewrite(file);
  return found ? `${HELPERS}${body}\n${lineMap(fileName, source)}` : source;
}

/**
 * A source map of output that keeps every line where it was: line n of the output is line n of the
 * source (and the source's text goes with it, for a debugger).
 */
function lineMap(fileName: string, source: string): string {
  const lines = source.split('\n').length;
  const map = { version: 3, sources: [fileName], sourcesContent: [source], names: [], mappings: `AAAA${';AACA'.repeat(lines - 1)}` };
  return `//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(map)).toString('base64')}`;
}

/** Generated code, with the source line it starts on. */
type Piece = { js: string; line: number };

/** Newlines in generated code. */
const newlines = (code: string) => code.split('\n').length - 1;

/** Pieces joined by `, `, each preceded by the newlines that put it on its source line, from line `from`; and the line it ends on. */
function lined(pieces: Piece[], from: number): { code: string; line: number } {
  let line = from;
  let code = '';
  pieces.forEach((p, i) => {
    code += (i ? ', ' : '') + (p.line > line ? '\n'.repeat(p.line - line) : '') + p.js;
    line = Math.max(line, p.line) + newlines(p.js);
  });
  return { code, line };
}

/** `code`, which starts on line `from`, followed by the newlines that make it end on line `to`. */
function padTo(code: string, from: number, to: number): string {
  const missing = to - from - newlines(code);
  return missing > 0 ? code + '\n'.repeat(missing) : code;
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

/**
 * Adjacent markup merged into one literal; the rest joined with `+`, each dynamic part on its source
 * line, and the whole ending on line `to` (it starts on line `from`).
 */
function join(parts: Part[], from: number, to: number): string {
  const merged: Part[] = [];
  for (const p of parts) {
    const prev = merged[merged.length - 1];
    if ('html' in p && prev && 'html' in prev) merged[merged.length - 1] = { html: prev.html + p.html };
    else merged.push(p);
  }
  if (merged.length === 0) return padTo('""', from, to);
  let line = from;
  const out = merged.map((p) => {
    if ('html' in p) return JSON.stringify(p.html);
    const pad = p.line > line ? '\n'.repeat(p.line - line) : '';
    line = Math.max(line, p.line) + newlines(p.js);
    return pad + p.js;
  });
  return padTo('html' in merged[0] ? out.join(' + ') : `"" + ${out.join(' + ')}`, from, to);
}
