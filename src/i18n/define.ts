/** A feature's catalog: Polish and Chinese must have every English key (a type error otherwise). */
export function defineMessages<const E extends Record<string, string>>(m: { en: E; pl: Record<keyof E, string>; zh: Record<keyof E, string> }) {
  return m;
}
