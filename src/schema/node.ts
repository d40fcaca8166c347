// Any object by its global id: `node` and `nodes`. A global id is base64("Type:key"); one
// this API could not have issued fails only its own field, or its own entry of `nodes`.

import { resolveNodes } from '@pothos/plugin-relay';
import { builder } from './builder.ts';
import { BOUNDS, bounded } from './input-bounds.ts';
import { badInput, isPossibleKey } from './pagination.ts';

/** The types with global ids; every one is keyed by an integer. */
const NODE_TYPES = new Set(['Article', 'Actor', 'Category', 'RelatedLink', 'TrendItem', 'Webhook']);

/** "base64(Type:123)" as the relay plugin's loaders take it, or null for an id the API did not issue. */
function decodeGlobalID(globalID: string): { typename: string; id: string } | null {
  const decoded = /^[A-Za-z0-9+/_-]+={0,2}$/.test(globalID) ? Buffer.from(globalID, 'base64').toString('utf8') : '';
  const match = /^([A-Za-z]+):(\d{1,10})$/.exec(decoded);
  if (!match || !NODE_TYPES.has(match[1]!) || !isPossibleKey(Number(match[2]))) return null;
  return { typename: match[1]!, id: match[2]! };
}

function notIssued(globalID: string) {
  return badInput(`"${globalID.slice(0, 100)}" is not an id this API issued.`);
}

const NodeRef = builder.nodeInterfaceRef();

builder.queryFields((t) => ({
  node: t.field({
    type: NodeRef,
    nullable: true,
    description:
      'The object with this global id, of whichever type it is (use a fragment: `... on Article { title }`). Null when no object has the id (any more); an id this API could not have issued fails this field with BAD_USER_INPUT.',
    args: { id: t.arg.id({ required: true, ...bounded(BOUNDS.globalId, 'A global id: the `id` of any Node.') }) },
    resolve: async (_root, args, context, info) => {
      const id = decodeGlobalID(String(args.id));
      if (!id) throw notIssued(String(args.id));
      const [node] = await resolveNodes(builder, context, info, [id]);
      return node as never;
    },
  }),
  nodes: t.field({
    type: [NodeRef],
    nullable: { list: false, items: true },
    description:
      'The objects with these global ids, in the order asked, in one round trip. An entry is null when no object has its id; an id this API could not have issued is null too, with a BAD_USER_INPUT error at that entry (path `nodes.<index>`).',
    args: {
      ids: t.arg.idList({ required: true, ...bounded(BOUNDS.globalIds, 'Global ids: the `id` of any Node.') }),
    },
    resolve: async (_root, args, context, info) => {
      const ids = args.ids.map((raw) => decodeGlobalID(String(raw)));
      const nodes = await resolveNodes(builder, context, info, ids);
      // An error in place of an entry: GraphQL answers null there, with the error at its index.
      return nodes.map((node, i) => (ids[i] ? node : notIssued(String(args.ids[i])))) as never;
    },
  }),
}));
