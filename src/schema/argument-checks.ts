// A Pothos plugin that checks every field's arguments before the field runs: input
// bounds and unreadable dates (input-bounds.ts) and the rules of connection arguments
// (pagination.ts). A bad argument fails its own field, at its own path, with
// BAD_USER_INPUT; its siblings run as usual.

import SchemaBuilder, { BasePlugin, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';
import {
  type GraphQLError,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  isInterfaceType,
  isObjectType,
} from 'graphql';
import { inputProblem } from './input-bounds.ts';
import { connectionArgumentProblem } from './pagination.ts';

/** What is wrong with a field's arguments (bounds, dates, paging rules), or null. */
export function argumentProblem(
  field: GraphQLField<unknown, unknown>,
  args: Record<string, unknown>,
): GraphQLError | null {
  return inputProblem(field.args, args) ?? connectionArgumentProblem(field, args);
}

function fieldOf(schema: GraphQLSchema, typeName: string, fieldName: string) {
  const type = schema.getType(typeName);
  return isObjectType(type) || isInterfaceType(type) ? type.getFields()[fieldName] : undefined;
}

class ArgumentChecksPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  /**
   * Arguments are also read before their field runs: by the cost calculation (for the
   * whole operation, at its first root field) and by the Prisma plugin, which plans a
   * relation's query when the parent loads. Both read through Pothos' argument mappers,
   * and a value they could not use would fail the whole operation or the parent. This
   * mapper hands them the defaults instead; the field itself then refuses the value at
   * its own path (`wrapArgMappers`), so what they planned for it is never used.
   */
  override onOutputFieldConfig(fieldConfig: PothosOutputFieldConfig<Types>): PothosOutputFieldConfig<Types> {
    if (Object.keys(fieldConfig.args).length === 0) return fieldConfig;
    const { parentType, name } = fieldConfig;
    const defaultsWhenUnusable = (
      args: Record<string, unknown>,
      _context: unknown,
      info: { schema: GraphQLSchema },
    ) => {
      const field = fieldOf(info.schema, parentType, name);
      return field && argumentProblem(field, args) ? {} : args;
    };
    return { ...fieldConfig, argMappers: [defaultsWhenUnusable, ...fieldConfig.argMappers] };
  }

  /** Outside every other wrapper, so a bad argument is refused before cost checks, auth or SQL. */
  override wrapArgMappers(
    resolver: GraphQLFieldResolver<unknown, Types['Context'], object> | undefined,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> | undefined {
    if (!resolver || Object.keys(fieldConfig.args).length === 0) return resolver;
    return (parent, args, context, info) => {
      const problem = argumentProblem(info.parentType.getFields()[info.fieldName]!, args as Record<string, unknown>);
      if (problem) throw problem;
      return resolver(parent, args, context, info);
    };
  }
}

const pluginName = 'argumentChecks';

declare global {
  export namespace PothosSchemaTypes {
    interface Plugins<Types extends SchemaTypes> {
      argumentChecks: ArgumentChecksPlugin<Types>;
    }
  }
}

SchemaBuilder.registerPlugin(pluginName, ArgumentChecksPlugin);

export default pluginName;
