/** The development entry point of the JSX runtime (what test transforms import): the same renderer. */
import { jsx } from './jsx-runtime.ts';

export { Fragment, type JSX } from './jsx-runtime.ts';
export const jsxDEV = (type: Parameters<typeof jsx>[0], props: Parameters<typeof jsx>[1]) => jsx(type, props);
