/** Escaping for the plain twins' template strings: the five characters the app's JSX runtime escapes, the same way. */
const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const esc = (value: unknown) => String(value ?? '').replace(/[&<>"']/g, (ch) => escapes[ch]);
