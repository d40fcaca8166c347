// GraphiQL in a real browser (Debian's headless chromium): the page renders without any
// network beyond our server, runs its default query and shows the archive's data, and
// runs the live-feed subscription of docs/live-feed.md with nothing typed into its
// Headers tab, showing an item published through the ingest mutation.

import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { reportSkipped } from '../support/skips.ts';

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env.CI === 'true')
  throw new Error(`${CHROMIUM} is missing; the GraphiQL browser test needs it in CI`);
if (!available) reportSkipped('Chromium', `${CHROMIUM} is missing`);

const docs = readFileSync(new URL('../../docs/live-feed.md', import.meta.url), 'utf8');
const SUBSCRIPTION = /```graphql\n(subscription[\s\S]*?)```/.exec(docs)?.[1] ?? '';
const PAGE = /```text\n([\s\S]*?)```/.exec(docs)?.[1] ?? '';
const INGEST = 'mutation Ingest($input: IngestDocumentInput!) { ingestDocument(input: $input) { outcome } }';
/** Where the screenshot of the live result goes, for a person to look at. */
const SCREENSHOT = join(tmpdir(), 'graphiql-live-feed.png');

describe.runIf(available)('GraphiQL in a browser', () => {
  let api: TestApi;
  let app: ReturnType<typeof createApp>;
  let url: string;
  let browser: Browser;
  beforeAll(async () => {
    api = await createTestApi('pglite');
    app = createApp({ prisma: api.db.prisma });
    url = `http://127.0.0.1:${await app.start(0)}/graphql`;
    // Flags as this machine's closed network needs them: no background connections.
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await api?.close();
  });

  /** A fresh page that may reach only our server; what it tried beyond that is collected. */
  async function offlinePage(): Promise<{ page: Page; outside: string[] }> {
    const page = await (await browser.newContext()).newPage();
    const outside: string[] = [];
    await page.route('**/*', (route) => {
      const requested = new URL(route.request().url());
      if (requested.hostname === '127.0.0.1' || requested.protocol === 'data:' || requested.protocol === 'blob:')
        return route.continue();
      outside.push(requested.toString());
      return route.abort();
    });
    return { page, outside };
  }

  it('renders offline, runs the default query and shows the result', async () => {
    const { page, outside } = await offlinePage();
    await page.goto(url);
    await page.locator('.graphiql-execute-button').click({ timeout: 30_000 });
    await expect
      .poll(async () => page.locator('.result-window').textContent(), { timeout: 30_000 })
      .toMatch(/"totalCount":\s*5/);
    expect(outside.filter((address) => !address.includes('favicon'))).toEqual([]);
  }, 90_000);

  it('runs the live-feed subscription and shows an item published through the mutation', async () => {
    expect(SUBSCRIPTION).toMatch(/^subscription \{\s+trendPublished\(category: "security"\)/);
    const { page, outside } = await offlinePage();
    const sockets: string[] = [];
    page.on('websocket', (socket) => sockets.push(socket.url()));
    // GraphiQL opens with the query in its URL; its Headers tab stays as it is, empty.
    await page.goto(`${url}?query=${encodeURIComponent(SUBSCRIPTION)}`);
    await page.locator('.graphiql-execute-button').click({ timeout: 30_000 });
    await expect.poll(() => app.hub.subscriberCount, { timeout: 30_000 }).toBe(1);

    const token = await api.editorToken();
    const published = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: INGEST, variables: { input: { text: PAGE, sourceName: 'live-feed.txt' } } }),
    });
    expect(await published.json()).toEqual({ data: { ingestDocument: { outcome: 'CREATED' } } });

    // The editor renders spaces as no-break spaces.
    const shownText = async () => ((await page.locator('.result-window').textContent()) ?? '').replace(/\s+/g, ' ');
    await expect.poll(shownText, { timeout: 30_000 }).toMatch(/Minsk hosts a new round of talks/);
    const shown = await shownText();
    expect(shown).toMatch(/"name":\s*"Security"/);
    expect(shown).not.toMatch(/CSRF/);
    expect(sockets).toEqual([url.replace('http:', 'ws:')]);
    expect(outside.filter((address) => !address.includes('favicon'))).toEqual([]);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  }, 90_000);
});
