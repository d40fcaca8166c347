// The response cache's guards, with a revision the test moves by hand: nothing stored by
// an execution the cache forgot something during, nothing served while a revision is
// unheard of, everything dropped when a revision stays unheard of.

import { describe, expect, it } from 'vitest';
import { createFreshCache } from '../../src/server/response-cache.ts';

const change = (revision: number, articleIds: number[] = []) => ({
  revisions: [revision],
  articleIds,
  actorIds: [],
  categoryIds: [],
  linkIds: [],
});
/** An article as the plugin tags it: typename and global id. */
const article = (id: number) => ({ typename: 'Article', id: Buffer.from(`Article:${id}`).toString('base64') });
const LOOKUP = '{ article(slug: "a") { title } }';
const result = (title: string) => ({ data: { article: { title } } });

function setup() {
  let revision = 0;
  const fresh = createFreshCache({ readRevision: async () => revision, graceMs: 50 });
  fresh.describe('k', LOOKUP, null);
  return {
    ...fresh,
    /** A write committed elsewhere: the revision moves, the cache has not heard of it. */
    commit: () => ++revision,
  };
}

describe('the response cache guards', () => {
  it('serves what it stored and forgets a touched entity', async () => {
    const { cache, forget, commit } = setup();
    expect(await cache.get('k')).toBeNull();
    await cache.set('k', result('old'), [article(1)], 60_000);
    expect(await cache.get('k')).toEqual(result('old'));
    forget(change(commit(), [2]));
    expect(await cache.get('k')).toEqual(result('old')); // article 1 untouched
    forget(change(commit(), [1]));
    expect(await cache.get('k')).toBeNull();
  });

  it('does not store a result whose execution overlapped a forgotten change', async () => {
    const { cache, forget, commit } = setup();
    expect(await cache.get('k')).toBeNull(); // the execution begins
    forget(change(commit(), [1])); // a write commits while it runs
    await cache.set('k', result('maybe stale'), [article(1)], 60_000);
    expect(await cache.get('k')).toBeNull();
  });

  it('serves nothing while a committed revision is unheard of, and again once it is', async () => {
    const { cache, forget, commit } = setup();
    await cache.get('k');
    await cache.set('k', result('old'), [article(1)], 60_000);
    const revision = commit();
    expect(await cache.get('k')).toBeNull();
    forget(change(revision, [7]));
    expect(await cache.get('k')).toEqual(result('old'));
  });

  it('drops everything when a revision stays unheard of past the grace', async () => {
    const { cache, commit } = setup();
    await cache.get('k');
    await cache.set('k', result('old'), [article(1)], 60_000);
    commit();
    expect(await cache.get('k')).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await cache.get('k')).toBeNull(); // dropped, not merely hidden
    await cache.set('k', result('new'), [article(1)], 60_000);
    expect(await cache.get('k')).toEqual(result('new'));
  });

  it('tags a lookup that found nothing so that any write forgets it', async () => {
    const { cache, forget, commit, describe: describeKey } = setup();
    describeKey('missing', LOOKUP, null);
    await cache.get('missing');
    await cache.set('missing', { data: { article: null } }, [{ typename: 'Article' }], 60_000);
    expect(await cache.get('missing')).toEqual({ data: { article: null } });
    forget(change(commit(), [99]));
    expect(await cache.get('missing')).toBeNull();
  });
});
