// What a request selects beneath an article, as an ArticleShape for the article reader
// (src/archive/article-reader.ts), which reads it all in one statement. Built from the
// GraphQL selection: fields, aliases, fragments and @skip/@include, and the arguments
// of nested pages (Article.actors, Article.related).
//
// A nested page whose arguments are invalid is left out of the shape: its own resolver
// then reads its arguments again and fails with its own path, not its parent's.

import {
  type FieldNode,
  type GraphQLField,
  GraphQLIncludeDirective,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  GraphQLSkipDirective,
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  isAbstractType,
  isObjectType,
  Kind,
  type SelectionSetNode,
} from 'graphql';
import type {
  ActorColumn,
  ActorPageShape,
  ArticleColumn,
  ArticleShape,
  CategoryColumn,
  LinkColumn,
  MentionKey,
  RelatedPageShape,
} from '../archive/article-reader.ts';
import { argumentProblem } from './argument-checks.ts';
import { type ConnectionArgs, decodeCursor, encodeCursor, pageWindow } from './pagination.ts';

/** Fields of Article read straight from a column; Article's other fields need more. */
const ARTICLE_COLUMNS: Record<string, ArticleColumn> = {
  slug: 'slug',
  title: 'title',
  publishedAt: 'publishedAt',
  imageCredit: 'imageCredit',
  paragraphs: 'paragraphs',
  body: 'body',
  wordCount: 'wordCount',
  isStub: 'isStub',
  lead: 'lead',
  corrections: 'corrections',
};
const CATEGORY_COLUMNS: Record<string, CategoryColumn> = { slug: 'slug', name: 'name' };
const ACTOR_COLUMNS: Record<string, ActorColumn> = { slug: 'slug', name: 'name', kind: 'kind', aliases: 'aliases' };
const LINK_COLUMNS: Record<string, LinkColumn> = { position: 'position', kind: 'kind', score: 'score' };

/** Article.actors' cursors: the mention's place, (count, actor id). */
export function mentionCursor(key: MentionKey): string {
  return encodeCursor('mention', [key.count, key.actorId]);
}

/** Article.related's cursors: the link's position. */
export function linkCursor(position: number): string {
  return encodeCursor('link', [position]);
}

/** Article.actors' arguments as a page to read; throws BAD_USER_INPUT for bad ones. */
export function actorPageArguments(
  args: ConnectionArgs & { kind?: ActorPageShape['kind'] | null },
): Pick<ActorPageShape, 'window' | 'kind'> {
  const window = pageWindow(args, (cursor): MentionKey => {
    const [count, actorId] = decodeCursor('mention', cursor, ['key', 'key']) as [number, number];
    return { count, actorId };
  });
  return { window, kind: args.kind ?? null };
}

/** Article.related's arguments as a page to read; throws BAD_USER_INPUT for bad ones. */
export function relatedPageArguments(args: ConnectionArgs): Pick<RelatedPageShape, 'window'> {
  return { window: pageWindow(args, (cursor) => decodeCursor('link', cursor, ['key'])[0] as number) };
}

interface Selected {
  /** Every node of the field under this response key (fragments may repeat a field). */
  nodes: FieldNode[];
  name: string;
}

/** The fields a selection set selects on `type`, by response key, fragments and directives applied. */
function collectFields(info: GraphQLResolveInfo, type: GraphQLObjectType, selectionSets: readonly SelectionSetNode[]) {
  const fields = new Map<string, Selected>();
  const visitedFragments = new Set<string>();
  const included = (node: { directives?: readonly unknown[] } & Parameters<typeof getDirectiveValues>[1]) =>
    !getDirectiveValues(GraphQLSkipDirective, node, info.variableValues)?.if &&
    getDirectiveValues(GraphQLIncludeDirective, node, info.variableValues)?.if !== false;
  const applies = (typeName: string | undefined) => {
    if (!typeName || typeName === type.name) return true;
    const condition = info.schema.getType(typeName);
    return !!condition && isAbstractType(condition) && info.schema.isSubType(condition, type);
  };
  const visit = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (!included(selection)) continue;
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        const entry = fields.get(key) ?? { nodes: [], name: selection.name.value };
        entry.nodes.push(selection);
        fields.set(key, entry);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (applies(selection.typeCondition?.name.value)) visit(selection.selectionSet);
      } else {
        const name = selection.name.value;
        const fragment = info.fragments[name];
        if (!fragment || visitedFragments.has(name) || !applies(fragment.typeCondition.name.value)) continue;
        visitedFragments.add(name);
        visit(fragment.selectionSet);
      }
    }
  };
  for (const selectionSet of selectionSets) visit(selectionSet);
  return fields;
}

function subSelections(selected: Selected): SelectionSetNode[] {
  return selected.nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
}

function objectType(info: GraphQLResolveInfo, name: string): GraphQLObjectType {
  const type = info.schema.getType(name);
  if (!isObjectType(type)) throw new Error(`schema has no object type ${name}`);
  return type;
}

/** The arguments of a selected field, or null when they cannot be read (bad variables). */
function argumentsOf(info: GraphQLResolveInfo, field: GraphQLField<unknown, unknown>, node: FieldNode) {
  try {
    return getArgumentValues(field, node, info.variableValues);
  } catch {
    return null;
  }
}

class ShapeBuilder {
  constructor(private readonly info: GraphQLResolveInfo) {}

  article(selectionSets: readonly SelectionSetNode[]): ArticleShape {
    const type = objectType(this.info, 'Article');
    const columns = new Set<ArticleColumn>();
    let category: Set<CategoryColumn> | null = null;
    let sourceDocuments = false;
    const actorPages = new Map<string, ActorPageShape>();
    const relatedPages = new Map<string, RelatedPageShape>();
    for (const [key, selected] of collectFields(this.info, type, selectionSets)) {
      const column = ARTICLE_COLUMNS[selected.name];
      if (column) {
        columns.add(column);
        continue;
      }
      const field = type.getFields()[selected.name];
      if (!field) continue;
      if (selected.name === 'category') {
        // The slug too: Category.articles filters by it.
        category = this.columnsOf('Category', subSelections(selected), CATEGORY_COLUMNS).add('slug');
      } else if (selected.name === 'sourceDocuments') {
        sourceDocuments = true;
      } else if (selected.name === 'actors') {
        const page = this.actorPage(field, selected);
        if (page) actorPages.set(key, page);
      } else if (selected.name === 'related') {
        const page = this.relatedPage(field, selected);
        if (page) relatedPages.set(key, page);
      }
    }
    return { columns, category, sourceDocuments, actorPages, relatedPages };
  }

  private columnsOf<Column>(
    typeName: string,
    selectionSets: readonly SelectionSetNode[],
    known: Record<string, Column>,
  ): Set<Column> {
    const columns = new Set<Column>();
    for (const selected of collectFields(this.info, objectType(this.info, typeName), selectionSets).values()) {
      const column = known[selected.name];
      if (column) columns.add(column);
    }
    return columns;
  }

  /** The connection's own fields and the selection sets beneath `edges.node`. */
  private connection(connectionType: string, edgeType: string, selected: Selected) {
    const connectionFields = collectFields(this.info, objectType(this.info, connectionType), subSelections(selected));
    const nodeSelections: SelectionSetNode[] = [];
    let total = false;
    for (const field of connectionFields.values()) {
      if (field.name === 'totalCount') total = true;
      if (field.name !== 'edges') continue;
      for (const edgeField of collectFields(
        this.info,
        objectType(this.info, edgeType),
        subSelections(field),
      ).values()) {
        if (edgeField.name === 'node') nodeSelections.push(...subSelections(edgeField));
      }
    }
    return { total, nodeSelections };
  }

  actorPage(field: GraphQLField<unknown, unknown>, selected: Selected): ActorPageShape | null {
    const args = argumentsOf(this.info, field, selected.nodes[0]!);
    if (!args || argumentProblem(field, args)) return null;
    let read: Pick<ActorPageShape, 'window' | 'kind'>;
    try {
      read = actorPageArguments(args as ConnectionArgs & { kind?: ActorPageShape['kind'] });
    } catch {
      return null;
    }
    const { total, nodeSelections } = this.connection('ArticleActorConnection', 'ArticleActorEdge', selected);
    // The slug too: Actor.articles filters by it.
    return { ...read, total, actor: this.columnsOf('Actor', nodeSelections, ACTOR_COLUMNS).add('slug') };
  }

  relatedPage(field: GraphQLField<unknown, unknown>, selected: Selected): RelatedPageShape | null {
    const args = argumentsOf(this.info, field, selected.nodes[0]!);
    if (!args || argumentProblem(field, args)) return null;
    let read: Pick<RelatedPageShape, 'window'>;
    try {
      read = relatedPageArguments(args as ConnectionArgs);
    } catch {
      return null;
    }
    const { total, nodeSelections } = this.connection('RelatedLinkConnection', 'RelatedLinkEdge', selected);
    return { ...read, total, ...this.link(nodeSelections) };
  }

  /** A related link's columns and the shapes of its two articles, when selected. */
  link(selectionSets: readonly SelectionSetNode[]): Pick<RelatedPageShape, 'link' | 'target' | 'source'> {
    const link = new Set<LinkColumn>();
    const ends: Record<'target' | 'source', SelectionSetNode[] | null> = { target: null, source: null };
    for (const selected of collectFields(this.info, objectType(this.info, 'RelatedLink'), selectionSets).values()) {
      const column = LINK_COLUMNS[selected.name];
      if (column) link.add(column);
      if (selected.name === 'target' || selected.name === 'source') {
        ends[selected.name] = [...(ends[selected.name] ?? []), ...subSelections(selected)];
      }
    }
    // A link always knows both ends' ids, so a field that reads them alone needs no join.
    link.add('sourceId').add('targetId');
    return {
      link,
      target: ends.target && this.article(ends.target),
      source: ends.source && this.article(ends.source),
    };
  }
}

/** The selection sets reached from the current field by following `path` (field names, aliases ignored). */
function selectionSetsAt(info: GraphQLResolveInfo, path: readonly string[]): SelectionSetNode[] {
  let sets = info.fieldNodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
  let type = getNamedType(info.returnType);
  for (const name of path) {
    if (!isObjectType(type)) return [];
    const selected = [...collectFields(info, type, sets).values()].filter((field) => field.name === name);
    sets = selected.flatMap(subSelections);
    const next = type.getFields()[name];
    if (!next) return [];
    type = getNamedType(next.type);
  }
  return sets;
}

/**
 * The shape of the articles a field returns at `path` beneath it: `[]` for a field that
 * returns articles, `['edges', 'node']` for a connection of them, and so on.
 */
export function articleShapeAt(info: GraphQLResolveInfo, path: readonly string[]): ArticleShape {
  return new ShapeBuilder(info).article(selectionSetsAt(info, path));
}

/** The shape of the related links a field returns at `path` beneath it. */
export function linkShapeAt(info: GraphQLResolveInfo, path: readonly string[]) {
  return new ShapeBuilder(info).link(selectionSetsAt(info, path));
}

/** The shape of one nested page, for an article whose record lacks it (read on its own). */
export function nestedPageShapeAt(info: GraphQLResolveInfo): ArticleShape {
  const field = info.parentType.getFields()[info.fieldName]!;
  const key = info.path.key as string;
  const selected = { nodes: [...info.fieldNodes], name: info.fieldName };
  const builder = new ShapeBuilder(info);
  const shape = builder.article([]);
  const page = info.fieldName === 'actors' ? builder.actorPage(field, selected) : builder.relatedPage(field, selected);
  if (page && info.fieldName === 'actors')
    (shape.actorPages as Map<string, ActorPageShape>).set(key, page as ActorPageShape);
  if (page && info.fieldName === 'related')
    (shape.relatedPages as Map<string, RelatedPageShape>).set(key, page as RelatedPageShape);
  return shape;
}

/** Whether the connection a field returns selects `name` (e.g. totalCount), fragments included. */
export function connectionSelects(info: GraphQLResolveInfo, name: string): boolean {
  const type = getNamedType(info.returnType);
  if (!isObjectType(type)) return false;
  const sets = info.fieldNodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
  return [...collectFields(info, type, sets).values()].some((field) => field.name === name);
}
