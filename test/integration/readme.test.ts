// The README, run as a user would follow it: every GraphQL block against a server on the
// bundled corpus over real HTTP and WebSocket; the curl commands (queries, the ingest
// mutation, the SSE stream) against that server; the graphql-ws recipe; the npm commands
// against a fresh database (created with the README's `createdb` when PostgreSQL answers).
// Its tables are checked against the code (every limit and environment variable) and its
// links, and those of docs/, against the tree. `npm ci`, `npm start` and `npm test` are
// only checked to exist here: install.test.ts runs `npm ci` (dry run), start.test.ts the
// server as `npm start` does, on PGlite and on PostgreSQL.

import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { parse, validate } from 'graphql';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatabaseUrl, readConfig } from '../../src/config.ts';
import { schema } from '../../src/schema/index.ts';
import { GRAPHIQL_DEFAULT_QUERY } from '../../src/server/graphiql.ts';
import { LIMIT_SPECS } from '../../src/server/limits.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { PROJECT_ROOT } from '../support/cli.ts';
import { testTargets } from '../support/databases.ts';
import { runResumeRecipe, subscribeOverWebSocket, waitUntil } from '../support/feed-clients.ts';

const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
const scripts = Object.keys(JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')).scripts);

/** A fenced block of the README, with the `##` section it stands in. */
interface Block {
  lang: string;
  code: string;
  section: string;
}

const blocks: Block[] = [];
{
  let section = '';
  for (const match of readme.matchAll(/^## (.+)$|^```(\w*)\n([\s\S]*?)^```$/gm)) {
    if (match[1] !== undefined) section = match[1];
    else blocks.push({ lang: match[2]!, code: match[3]!, section });
  }
}
const of = (lang: string, section?: string) =>
  blocks.filter((block) => block.lang === lang && (section === undefined || block.section === section));
/** The one block of a kind in a section. */
function only(lang: string, section: string): string {
  const found = of(lang, section);
  expect(found, `one ${lang} block in "${section}"`).toHaveLength(1);
  return found[0]!.code;
}
/** The block of a kind in a section that holds `needle`. */
function holding(lang: string, section: string, needle: string): string {
  const found = of(lang, section).filter((block) => block.code.includes(needle));
  expect(found, `one ${lang} block in "${section}" with ${needle}`).toHaveLength(1);
  return found[0]!.code;
}
/** The commands of sh blocks: comments dropped, continued lines joined. */
const commandsOf = (code: string) =>
  code
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line && !line.startsWith('#'));

const graphqlBlocks = of('graphql').map((block) => block.code);
const queries = graphqlBlocks.filter((code) => !code.trimStart().startsWith('subscription'));
/** GraphQL documents inside the shell commands (curl bodies). */
const embedded = of('sh').flatMap(({ code }) =>
  [...code.matchAll(/"?query"?: "((?:query|mutation|subscription|\{)[^"]*)"/g)].map((match) => match[1]!),
);
const PAGE = only('text', 'Ingesting pages');
const PAGE_TITLE = PAGE.split('\n')[0]!.replace(/^\w+: /, '');

describe('the README', () => {
  it('fits in 15,000 bytes', () => {
    expect(Buffer.byteLength(readme)).toBeLessThanOrEqual(15_000);
  });

  it('has the example queries it promises (search, facets, actor network)', () => {
    expect(queries.join('\n')).toMatch(/search\(/);
    expect(queries.join('\n')).toMatch(/facets/);
    expect(queries.join('\n')).toMatch(/coActors/);
  });

  it('shows only operations that are valid against the schema, subscriptions and curl bodies included', () => {
    expect(embedded.length).toBeGreaterThanOrEqual(3);
    for (const document of [...graphqlBlocks, ...embedded]) expect(validate(schema, parse(document))).toEqual([]);
  });

  it('names only npm scripts that exist', () => {
    const named = [...readme.matchAll(/\bnpm (?:run )?([\w:-]+)/g)].map((match) => match[1]!);
    expect(named).toEqual(expect.arrayContaining(['ci', 'start', 'test', 'ingest', 'token']));
    for (const name of named) if (name !== 'ci') expect(scripts, `npm script ${name}`).toContain(name);
  });

  it('starts with two commands: install and start, then test', () => {
    expect(commandsOf(only('sh', 'Quick start'))).toEqual(['npm ci && npm start', 'npm test']);
  });

  it('lists every configurable limit with its variable and default', () => {
    for (const spec of LIMIT_SPECS) {
      expect(readme).toMatch(new RegExp(`\\| ${spec.default.toLocaleString('en-US')} +\\| \`${spec.env}\` +\\|`));
    }
  });

  it('lists every environment variable the code reads, and no other (with docs/development.md)', () => {
    const sources = [
      ...readdirSync(join(PROJECT_ROOT, 'src'), { recursive: true, encoding: 'utf8' })
        // Not the packages installed under src/ (the bench's PostGraphile, which .ci/run installs).
        .filter((file) => file.endsWith('.ts') && !file.startsWith('generated') && !file.includes('node_modules'))
        .map((file) => join('src', file)),
      ...readdirSync(join(PROJECT_ROOT, 'test/support')).map((file) => join('test/support', file)),
    ];
    const read = new Set(LIMIT_SPECS.map((spec) => spec.env));
    for (const file of sources) {
      const text = readFileSync(join(PROJECT_ROOT, file), 'utf8');
      for (const match of text.matchAll(/\benv\.([A-Z][A-Z0-9_]+)/g)) read.add(match[1]!);
    }
    // A table cell that is exactly a variable: the environment table's first column, the
    // limits table's last; those of the tests and the benchmark are in docs/development.md.
    const development = readFileSync(join(PROJECT_ROOT, 'docs/development.md'), 'utf8');
    const listed = new Set(
      [...`${readme}\n${development}`.matchAll(/\| `([A-Z][A-Z0-9_]+)` +\|/g)].map((match) => match[1]!),
    );
    expect([...read].filter((name) => !listed.has(name))).toEqual([]);
    expect([...listed].filter((name) => !read.has(name))).toEqual([]);
  });

  it('shows the graphql-ws resume recipe of docs/live-feed.md, which live-feed-clients.test.ts runs through a restart', () => {
    const docs = readFileSync(join(PROJECT_ROOT, 'docs/live-feed.md'), 'utf8');
    expect(only('js', 'The live feed')).toBe(/```js\n([\s\S]*?)```/.exec(docs)?.[1]);
  });

  it('shows the subscription of docs/live-feed.md, which graphiql.browser.test.ts runs in GraphiQL', () => {
    const docs = readFileSync(join(PROJECT_ROOT, 'docs/live-feed.md'), 'utf8');
    expect(only('graphql', 'The live feed')).toBe(/```graphql\n(subscription[\s\S]*?)```/.exec(docs)?.[1]);
  });

  it('accepts the database and Redis settings it shows', () => {
    const url = /^export DATABASE_URL=(\S+)$/m.exec(holding('sh', 'PostgreSQL and Redis', 'DATABASE_URL'))![1]!;
    expect(parseDatabaseUrl(url)).toEqual({ kind: 'postgres', url });
    const redis = /^REDIS_URL=(\S+) npm start$/m.exec(holding('sh', 'PostgreSQL and Redis', 'REDIS_URL'))![1]!;
    expect(readConfig({ REDIS_URL: redis }).redisUrl).toBe(redis);
  });
});

/** Markdown links and autolinks of a file. */
function linksOf(text: string): string[] {
  const outside = text.replace(/^```[\s\S]*?^```$/gm, '').replace(/`[^`\n]*`/g, '');
  return [...outside.matchAll(/\]\(([^)\s]+)\)|<(https?:\/\/[^>\s]+)>/g)].map((match) => match[1] ?? match[2]!);
}

/** GitHub's anchors for a file's headings. */
function anchorsOf(text: string): Set<string> {
  const headings = text.replace(/^```[\s\S]*?^```$/gm, '').matchAll(/^#{1,6} (.+)$/gm);
  return new Set(
    [...headings].map(([, heading]) =>
      heading!
        .toLowerCase()
        .replace(/[^\p{L}\p{N} _-]/gu, '')
        .replace(/ /g, '-'),
    ),
  );
}

/** Public documentation the README may link to; everything else it links to is in the repository. */
const DOCUMENTATION_SITES = ['pglite.dev', 'the-guild.dev', 'www.standardwebhooks.com'];

describe('links in the README and docs/', () => {
  const files = ['README.md', ...readdirSync(join(PROJECT_ROOT, 'docs')).map((file) => `docs/${file}`)];
  it.each(files)('%s links to files and headings that exist', (file) => {
    const text = readFileSync(join(PROJECT_ROOT, file), 'utf8');
    for (const link of linksOf(text)) {
      if (/^https?:/.test(link)) {
        const { host } = new URL(link);
        if (file === 'README.md') expect(['localhost:4000', ...DOCUMENTATION_SITES], link).toContain(host);
        continue;
      }
      const [path, anchor] = link.split('#') as [string, string | undefined];
      const target = path ? join(dirname(join(PROJECT_ROOT, file)), path) : join(PROJECT_ROOT, file);
      expect(existsSync(target), `${file}: ${link}`).toBe(true);
      expect(relative(PROJECT_ROOT, target), `${file}: ${link} stays in the repository`).not.toMatch(/^\.\./);
      if (anchor) expect([...anchorsOf(readFileSync(target, 'utf8'))], `${file}: ${link}`).toContain(anchor);
    }
  });
});

const run = promisify(execFile);

/** Runs one shell command as a user would type it, with `bash`. */
async function sh(command: string, options: { cwd: string; env?: Record<string, string> }) {
  try {
    const { stdout, stderr } = await run('bash', ['-c', command], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const targets = await testTargets();
const [target] = targets;

describe(`the README's queries, curl commands and live feed on ${target}`, () => {
  let api: TestApi;
  let port: number;
  let token: string;
  let workDir: string;
  const onServer = (command: string) => command.replaceAll('localhost:4000', `localhost:${port}`);

  beforeAll(async () => {
    api = await createTestApi(target!);
    port = await api.app.start(0);
    token = await api.editorToken();
    workDir = await mkdtemp(join(tmpdir(), 'readme-'));
    await writeFile(join(workDir, 'page.txt'), PAGE);
  });
  afterAll(async () => {
    await api?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  const documented = [
    ...queries.map((query, n) => [`README example ${n + 1}`, query] as const),
    ['GraphiQL default query', GRAPHIQL_DEFAULT_QUERY] as const,
  ];
  it.each(documented)('%s answers over HTTP without errors, with data', async (_name, query) => {
    const response = await fetch(`http://localhost:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    const result = (await response.json()) as { data?: unknown; errors?: unknown };
    expect(result.errors).toBeUndefined();
    // Every list has entries and nothing is missing (except what may be: an editorial
    // link has no score, and some pages name no category).
    expect(JSON.stringify(result.data)).not.toMatch(/:\[\]|"totalCount":0|"(?!score"|category")[^"]+":null/);
  });

  it('answers the curl query', async () => {
    const [command] = commandsOf(only('sh', 'Example queries'));
    const { code, stdout } = await sh(onServer(command!), { cwd: workDir });
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { data: { categories: { name: string; articleCount: number }[] } };
    expect(result.data.categories).toContainEqual({ name: 'Security', articleCount: expect.any(Number) });
  });

  it('delivers the page ingested with curl to the GraphiQL subscription, the curl SSE stream and the graphql-ws recipe', async () => {
    const [ingestCommand] = commandsOf(holding('sh', 'Ingesting pages', '$TOKEN')) as [string];
    const closers: (() => unknown)[] = [];
    try {
      // GraphiQL sends subscriptions over graphql-ws.
      const graphiql = subscribeOverWebSocket<{ article: { title: string } }>(
        `ws://localhost:${port}/graphql`,
        only('graphql', 'The live feed'),
      );
      closers.push(() => graphiql.close());

      const [sseCommand] = commandsOf(only('sh', 'The live feed'));
      let sse = '';
      const curl: ChildProcess = spawn('bash', ['-c', onServer(sseCommand!)], { cwd: workDir, detached: true });
      curl.stdout!.on('data', (chunk) => (sse += chunk));
      closers.push(() => curl.exitCode === null && process.kill(-curl.pid!, 'SIGTERM'));

      const recipe = runResumeRecipe(only('js', 'The live feed'), `ws://localhost:${port}/graphql`);
      closers.push(recipe.dispose);

      await waitUntil(() => api.app.hub.subscriberCount === 3, 10_000, 'three subscribers');

      const refused = await sh(onServer(ingestCommand), { cwd: workDir, env: { TOKEN: 'not-a-token' } });
      expect(JSON.parse(refused.stdout).errors[0].extensions.code).toBe('UNAUTHENTICATED');

      const ingested = await sh(onServer(ingestCommand), { cwd: workDir, env: { TOKEN: token } });
      expect(ingested.code).toBe(0);
      expect(JSON.parse(ingested.stdout)).toEqual({
        data: { ingestDocument: { outcome: 'CREATED', article: { title: PAGE_TITLE, slug: expect.any(String) } } },
      });

      expect((await graphiql.waitFor(1)).map((item) => item.article.title)).toEqual([PAGE_TITLE]);
      await waitUntil(() => sse.includes(PAGE_TITLE), 10_000, 'the item on the SSE stream');
      expect(sse).toMatch(/^event: next$/m);
      await waitUntil(() => recipe.printed.length > 0, 10_000, 'the item printed by the recipe');
      expect(recipe.printed).toEqual([PAGE_TITLE]);
      expect(recipe.failures).toEqual([]);
    } finally {
      for (const close of closers) await close();
    }
  });
});

describe(`the README's npm commands on a fresh ${targets.includes('postgres') ? 'PostgreSQL' : 'PGlite'} database`, () => {
  const postgres = targets.includes('postgres');
  const database = `readme_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const adminUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const setup = commandsOf(holding('sh', 'PostgreSQL and Redis', 'createdb'));
  const env: Record<string, string> = {};
  let workDir: string;

  /** The README's command with the database it names replaced by this test's. */
  const ours = (command: string) => command.replace(/ archive$/, ` ${database}`).replace(/\/archive$/, `/${database}`);
  const npm = async (command: string) => {
    const result = await sh(ours(command), { cwd: PROJECT_ROOT, env });
    expect(result.code, `${command}\n${result.stderr}`).toBe(0);
    return result;
  };

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'readme-cli-'));
    if (!postgres) {
      // No PostgreSQL server here: the same commands on an embedded database of their own.
      env.DATABASE_URL = `pglite:${join(workDir, 'pglite')}`;
      return;
    }
    for (const command of setup) {
      if (command.startsWith('createdb ')) {
        const { code, stderr } = await sh(ours(command), { cwd: workDir });
        expect(code, stderr).toBe(0);
      } else if (command.startsWith('export ')) {
        const [name, value] = command.slice('export '.length).split('=') as [string, string];
        env[name] = ours(value);
      }
    }
    expect(env.DATABASE_URL).toMatch(new RegExp(`/${database}$`));
  });
  afterAll(async () => {
    if (postgres) {
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await admin.end();
    }
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('migrates the new database', async () => {
    const rest = setup.filter((command) => !/^(createdb|export) /.test(command));
    // `npm start` is run by start.test.ts, on PostgreSQL too.
    expect(rest).toEqual(['npm run db:migrate', 'npm start']);
    expect((await npm(rest[0]!)).stdout).toMatch(/applied: /);
  });

  it('creates a token, ingests the bundled corpus with the CLI, revokes the token', async () => {
    const [create, revoke] = commandsOf(only('sh', 'Tokens'));
    const { stdout } = await npm(create!);
    expect(stdout.trim().split('\n').at(-1)).toMatch(/^\S{40,}$/);

    const [ingest] = commandsOf(holding('sh', 'Ingesting pages', 'npm run ingest'));
    const reports = (await npm(ingest!)).stdout.split('\n').filter((line) => /^[A-Z]+ /.test(line));
    expect(reports).toHaveLength(5);
    for (const line of reports) expect(line).toMatch(/^CREATED /);

    const { stderr } = await npm(revoke!);
    expect(stderr).toMatch(/revoked token "desk"/);
  });
});
