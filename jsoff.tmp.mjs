import { chromium } from 'playwright-core';
import { readFileSync } from 'node:fs';
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const ctx = await b.newContext({ javaScriptEnabled: false });
const p = await ctx.newPage();
await p.setContent('<html lang="en"><body><main><img src="x.png"><button></button></main></body></html>');
try { console.log('eval', await p.evaluate(() => 1 + 1)); } catch (e) { console.log('eval fails', e.message); }
const axe = readFileSync('/work/wt/a11y/node_modules/axe-core/axe.min.js', 'utf8');
try { await p.evaluate(axe); const r = await p.evaluate(() => window.axe.run().then(r => r.violations.map(v => v.id + ':' + v.impact))); console.log(r); } catch (e) { console.log('axe fails', e.message.slice(0, 200)); }
try { await p.addScriptTag({ content: axe }); console.log('tag', await p.evaluate(() => typeof window.axe)); } catch (e) { console.log('tag fails', e.message.slice(0,200)); }
await b.close();
