/**
 * The HTML validator the page-weight test runs on every page it fetches (html-validate's standard and
 * document rules), plus the one check it lacks and the Nu HTML checker makes: no `hx-*` attributes,
 * which are not HTML (htmx reads `data-hx-*` as well).
 */
import { HtmlValidate, type ConfigData } from 'html-validate';

const config: ConfigData = {
  extends: ['html-validate:standard', 'html-validate:document'],
  rules: {
    // Our scripts and styles are same-origin and content-hashed: subresource integrity adds nothing.
    'require-sri': 'off',
  },
};

const validator = new HtmlValidate(config);

/** Each error as "line:column rule: message"; an empty list means valid. */
export async function htmlErrors(html: string): Promise<string[]> {
  const report = await validator.validateString(html);
  const errors = report.results.flatMap((r) => r.messages.filter((m) => m.severity === 2).map((m) => `${m.line}:${m.column} ${m.ruleId}: ${m.message}`));
  for (const m of html.matchAll(/<[a-z][^>]*?\s(hx-[\w-]+)=/g)) errors.push(`hx-attribute: "${m[1]}" is not an HTML attribute; write data-${m[1]}`);
  return errors;
}
