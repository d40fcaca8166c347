// The reference query against a peer: this API and PostGraphile 5 (src/bench/postgraphile)
// over the same database, each in a process of its own started as in production, the
// answers checked equal before anything is timed, then load windows alternating between
// the two (ABBA, so a drift in the machine's speed weighs on both alike) at concurrency
// 1 and 16. Our limits, cost analysis, masking and rate limit stay on (the rate limit's
// budget raised for the load) and the response cache off (the cached row is measured
// apart); PostGraphile runs its defaults.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { type Bench, graphqlBody, REFERENCE } from './bench.ts';
import {
  BENCH_DIR,
  cpuMsOf,
  httpLoad,
  PROJECT_ROOT,
  postgresCpu,
  postgresCpuSince,
  type ServerProcess,
  startServerProcess,
} from './processes.ts';
import { fmt, log, mean } from './report.ts';

const PEER_DIR = join(BENCH_DIR, 'postgraphile');
const FIRST = 20;
const GOAL = 1.2;

/** The reference query in PostGraphile's schema: full articles newest first, mentions by count, links by position. */
const PEER_QUERY = (
  first: number,
) => `{ articles(first: ${first}, condition: { isStub: false }, orderBy: [PUBLISHED_AT_DESC, ROW_ID_DESC]) { totalCount edges { node { title publishedAt
  category { name }
  mentions(first: 10, orderBy: [COUNT_DESC, ACTOR_ID_ASC]) { edges { node { count actor { name kind } } } }
  relatedLinksBySourceId(first: 5, orderBy: POSITION_ASC) { edges { node { kind target { title category { name } } } } } } } } }`;

interface Named {
  name: string;
}
interface Answer<Node> {
  data: { articles: { totalCount: number; edges: { node: Node }[] } };
}
type Related = { edges: { node: { kind: string; target: { title: string; category: Named | null } } }[] };
type Ours = Answer<{
  title: string;
  publishedAt: string;
  category: Named | null;
  actors: { edges: { mentionCount: number; node: { name: string; kind: string } }[] };
  related: Related;
}>;
type Peer = Answer<{
  title: string;
  publishedAt: string;
  category: Named | null;
  mentions: { edges: { node: { count: number; actor: { name: string; kind: string } } }[] };
  relatedLinksBySourceId: Related;
}>;

/** Both answers in one form: the same articles, categories, actors with counts, and links. */
function normalizedOurs(answer: Ours) {
  return {
    totalCount: answer.data.articles.totalCount,
    articles: answer.data.articles.edges.map(({ node }) => ({
      title: node.title,
      publishedAt: Date.parse(node.publishedAt),
      category: node.category?.name ?? null,
      actors: node.actors.edges.map((edge) => [edge.node.name, edge.node.kind, edge.mentionCount]),
      related: node.related.edges.map((edge) => [
        edge.node.kind,
        edge.node.target.title,
        edge.node.target.category?.name ?? null,
      ]),
    })),
  };
}

function normalizedPeer(answer: Peer) {
  return {
    totalCount: answer.data.articles.totalCount,
    articles: answer.data.articles.edges.map(({ node }) => ({
      title: node.title,
      publishedAt: Date.parse(node.publishedAt),
      category: node.category?.name ?? null,
      actors: node.mentions.edges.map((edge) => [edge.node.actor.name, edge.node.actor.kind, edge.node.count]),
      related: node.relatedLinksBySourceId.edges.map((edge) => [
        edge.node.kind,
        edge.node.target.title,
        edge.node.target.category?.name ?? null,
      ]),
    })),
  };
}

async function run(command: string, args: string[], cwd: string): Promise<void> {
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} failed (${code})`);
}

/** PostGraphile lives in a package of its own (see its package.json for why); installed on first use. */
async function ensurePeerInstalled(): Promise<void> {
  if (existsSync(join(PEER_DIR, 'node_modules/postgraphile/package.json'))) return;
  log('installing PostGraphile 5 for the comparison (src/bench/postgraphile, once)');
  await run('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], PEER_DIR);
}

async function post<T>(url: string, query: string): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: graphqlBody(query),
  });
  const body = (await response.json()) as T & { errors?: unknown };
  if (!response.ok || body.errors)
    throw new Error(`${url}: HTTP ${response.status} ${JSON.stringify(body).slice(0, 500)}`);
  return body;
}

/** Answers the query once it can (our server prepares the archive after it starts listening). */
async function ready(url: string, query: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      await post(url, query);
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

interface Window {
  rps: number;
  p50: number;
  serverCpuMs: number;
  postgresCpuMs: number;
}

async function loadWindow(server: ServerProcess, body: string, connections: number, seconds: number): Promise<Window> {
  const server0 = cpuMsOf(server.child.pid!);
  const postgres0 = postgresCpu();
  const result = await httpLoad(server.url, connections, body, seconds);
  const serverMs = cpuMsOf(server.child.pid!) - server0;
  const postgresMs = postgresCpuSince(postgres0);
  if (result.failed || !(result.rps > 0)) throw new Error(`${server.url}: ${JSON.stringify(result)} under load`);
  const requests = result.rps * seconds;
  return { rps: result.rps, p50: result.p50, serverCpuMs: serverMs / requests, postgresCpuMs: postgresMs / requests };
}

export async function measureAgainstPostGraphile({ sizes, databaseUrl, report }: Bench): Promise<void> {
  await ensurePeerInstalled();
  await run('npm', ['run', '--silent', 'build'], PROJECT_ROOT);
  const ours = await startServerProcess(
    'the API',
    ['--enable-source-maps', join(PROJECT_ROOT, 'dist/server/main.js')],
    {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        PORT: '0',
        NODE_ENV: 'production',
        REDIS_URL: '',
        TREND_POLL_MS: '0',
        RATE_LIMIT_POINTS: '1000000',
        // Executing the query is what is compared (the cached row is measured apart).
        RESPONSE_CACHE_TTL_MS: '0',
      },
    },
  );
  const peer = await startServerProcess('PostGraphile', [join(PEER_DIR, 'server.mjs')], {
    cwd: PEER_DIR,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: '0', NODE_ENV: 'production' },
  });
  try {
    await ready(ours.url, REFERENCE(1));
    await ready(peer.url, PEER_QUERY(1));
    const oursAnswer = normalizedOurs(await post<Ours>(ours.url, REFERENCE(FIRST)));
    const peerAnswer = normalizedPeer(await post<Peer>(peer.url, PEER_QUERY(FIRST)));
    if (!isDeepStrictEqual(oursAnswer, peerAnswer)) {
      throw new Error(
        `the API and PostGraphile answer differently:\n${JSON.stringify(oursAnswer).slice(0, 800)}\n${JSON.stringify(peerAnswer).slice(0, 800)}`,
      );
    }
    const servers = [
      { name: 'ours', server: ours, body: graphqlBody(REFERENCE(FIRST)), windows: new Map<number, Window[]>() },
      {
        name: 'PostGraphile',
        server: peer,
        body: graphqlBody(PEER_QUERY(FIRST)),
        windows: new Map<number, Window[]>(),
      },
    ];
    for (const { server, body } of servers) await loadWindow(server, body, 16, Math.min(3, sizes.peerSeconds));
    const concurrencies = [1, 16];
    for (let round = 0; round < sizes.peerRounds; round++) {
      for (const connections of concurrencies) {
        for (const side of round % 2 === 0 ? servers : [...servers].reverse()) {
          const window = await loadWindow(side.server, side.body, connections, sizes.peerSeconds);
          side.windows.set(connections, [...(side.windows.get(connections) ?? []), window]);
        }
      }
    }
    const [our, their] = servers as [(typeof servers)[0], (typeof servers)[0]];
    for (const connections of concurrencies) {
      const a = our.windows.get(connections)!;
      const b = their.windows.get(connections)!;
      const ratio = mean(a.map((window, i) => window.rps / b[i]!.rps));
      report.record(
        `reference query (first: ${FIRST}) vs PostGraphile 5 on ${fmt(sizes.ingest, 0)} articles, concurrency ${connections}: req/s ours · PostGraphile (p50 ms ${fmt(mean(a.map((w) => w.p50)))} · ${fmt(mean(b.map((w) => w.p50)))}), mean of ${sizes.peerRounds} alternating rounds`,
        `${fmt(mean(a.map((w) => w.rps)))} · ${fmt(mean(b.map((w) => w.rps)))} (${fmt(ratio, 2)}×)`,
        `≥ ${GOAL}×`,
        ratio >= GOAL,
      );
      report.record(
        `the same, CPU per request at concurrency ${connections} (ms): server ours · PostGraphile, PostgreSQL ours · PostGraphile`,
        `${fmt(mean(a.map((w) => w.serverCpuMs)), 2)} · ${fmt(mean(b.map((w) => w.serverCpuMs)), 2)}, ${fmt(mean(a.map((w) => w.postgresCpuMs)), 2)} · ${fmt(mean(b.map((w) => w.postgresCpuMs)), 2)}`,
      );
    }
  } finally {
    await ours.stop();
    await peer.stop();
  }
}
