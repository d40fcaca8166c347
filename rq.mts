import { openDatabase } from './src/db/database.ts';
import { createApp } from './src/server/app.ts';
const db = await openDatabase({ kind: 'postgres', url: 'postgres://postgres@127.0.0.1:5432/bench' }, { onQuery: () => {} });
const app = createApp({ prisma: db.prisma, production: true, log: () => {} });
const q = `{ articles(first: 10) { totalCount edges { node { title publishedAt category { name } actors(first: 10) { edges { mentionCount node { name kind } } } related(first: 5) { edges { node { kind target { title category { name } } } } } } } } }`;
const stats = new Map<string, number>();
(db.prisma as any).$on('query', (e: any) => stats.set(e.query.slice(0, 100), (stats.get(e.query.slice(0, 100)) ?? 0) + e.duration));
for (let i = 0; i < 10; i++) { const t = performance.now(); await (await app.yoga.fetch('http://x/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: q }) })).json(); if (i > 7) console.log('ms', (performance.now() - t).toFixed(1)); }
console.log([...stats].map(([k, v]) => `${(v / 10).toFixed(1)}ms ${k.replace(/\s+/g, ' ')}`).join('\n'));
stats.clear();
for (const text of ['NATO', 'Lavrov', '"joint military drills"']) { const t = performance.now(); await (await app.yoga.fetch('http://x/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `{ search(query: ${JSON.stringify(text)}, first: 10) { totalCount edges { node { rank headline article { title } } } } }` }) })).json(); console.log('search', text, (performance.now() - t).toFixed(1)); }
console.log([...stats].map(([k, v]) => `${(v / 3).toFixed(1)}ms ${k.replace(/\s+/g, ' ')}`).join('\n'));
await app.stop(); await db.close();
