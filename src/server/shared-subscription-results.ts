// Subscribers running the same operation (same document, variables and operation name)
// share one execution per event: the first one to see an event executes the selection,
// the others reuse the result. With thousands of subscribers to the trend feed this
// turns thousands of identical executions per event into one.
//
// Sharing relies on the event payload being one object for everyone (the trend hub loads
// each item once per selection) and on no field reachable from a subscription depending
// on who asks: nothing under Subscription is guarded by auth scopes.

import { createSourceEventStream, type ExecutionResult, execute, print } from 'graphql';
import { isAsyncIterable, mapAsyncIterator, type Plugin } from 'graphql-yoga';

export function useSharedSubscriptionResults(): Plugin {
  /** Results per event payload, per operation; forgotten with the payload. */
  const results = new WeakMap<object, Map<string, Promise<ExecutionResult>>>();
  return {
    onSubscribe({ setSubscribeFn }) {
      setSubscribeFn(async (args) => {
        const source = await createSourceEventStream(args);
        if (!isAsyncIterable(source)) return source; // an error result
        const operation = `${args.operationName ?? ''}|${JSON.stringify(args.variableValues ?? {})}|${print(args.document)}`;
        return mapAsyncIterator(source, (payload: unknown) => {
          if (payload === null || typeof payload !== 'object') return execute({ ...args, rootValue: payload });
          let byOperation = results.get(payload);
          if (!byOperation) {
            byOperation = new Map();
            results.set(payload, byOperation);
          }
          let result = byOperation.get(operation);
          if (!result) {
            result = Promise.resolve(execute({ ...args, rootValue: payload }));
            byOperation.set(operation, result);
          }
          return result;
        });
      });
    },
  };
}
