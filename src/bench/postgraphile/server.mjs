// PostGraphile 5 over the benchmark's database: the peer `npm run bench` measures the
// reference query against (src/bench/phase-postgraphile.ts starts it in a process of its
// own). Its out-of-the-box configuration: the Amber preset (Relay connections,
// conditions, orderBy, totalCount) with simplified inflection, production settings (no
// GraphiQL, no explain, no watch) and a pool of 10 connections, as ours. Only the tables
// the query reads are exposed, and Mention.count may order (Amber orders only by indexed
// columns). Tags live here, not in the database, which the benchmark leaves as it was.
//
//   DATABASE_URL=postgres://… PORT=… node server.mjs     (prints "listening" when ready)

// PostGraphile 5.1 asks for Node >= 22; on this path the one newer API it calls is
// Promise.withResolvers. Defined before anything of PostGraphile loads.
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers() {
    let resolve;
    let reject;
    const promise = new this((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

const { createServer } = await import('node:http');
const { postgraphile } = await import('postgraphile');
const { PostGraphileAmberPreset } = await import('postgraphile/presets/amber');
const { makePgService } = await import('postgraphile/adaptors/pg');
const { grafserv } = await import('postgraphile/grafserv/node');
const { jsonPgSmartTags } = await import('postgraphile/utils');
const { PgSimplifyInflectionPreset } = await import('@graphile/simplify-inflection');

const HIDDEN = ['ActorAlias', 'SourceDocument', 'TrendEvent', 'ApiToken', '_prisma_migrations'];
const tags = jsonPgSmartTags({
  version: 1,
  config: {
    class: {
      ...Object.fromEntries(HIDDEN.map((table) => [table, { tags: { behavior: '-*' } }])),
      Mention: { attribute: { count: { tags: { behavior: '+orderBy' } } } },
    },
  },
});

const port = Number(process.env.PORT ?? 0);
const pgl = postgraphile({
  extends: [PostGraphileAmberPreset, PgSimplifyInflectionPreset],
  plugins: [tags],
  pgServices: [
    makePgService({ connectionString: process.env.DATABASE_URL, schemas: ['public'], poolConfig: { max: 10 } }),
  ],
  grafserv: { graphqlPath: '/graphql', graphiql: false, watch: false, websockets: false },
  grafast: { explain: false },
});
const server = createServer();
await pgl.createServ(grafserv).addTo(server);
server.listen(port, '127.0.0.1', () => console.log(`listening on ${server.address().port}`));

const stop = async () => {
  server.close();
  await pgl.release();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
