import { readFileSync } from 'node:fs';
import { projectRoot } from '../paths.ts';

/** Content-hashed public URLs of the static assets, written by `npm run build` (src/build.ts). */
export interface Assets {
  css: string;
  htmx: string;
}

export const buildDir = `${projectRoot}public/build`;

export function loadAssets(): Assets {
  try {
    return JSON.parse(readFileSync(`${buildDir}/manifest.json`, 'utf8')) as Assets;
  } catch {
    throw new Error('Static assets are not built: run `npm run build` (npm start and npm test do it for you).');
  }
}
