// `npm run token -- create <name> [scope...]` prints a new API token once;
// `npm run token -- revoke <name>` revokes it.

import { createToken, revokeToken, TokenError } from '../auth/tokens.ts';
import { readConfig } from '../config.ts';
import { prepareDatabase } from '../db/prepare.ts';

const USAGE = 'usage: npm run token -- create <name> [scope...] | npm run token -- revoke <name>';

async function main([command, name, ...scopes]: string[]): Promise<number> {
  if ((command !== 'create' && command !== 'revoke') || !name) {
    console.error(USAGE);
    return 2;
  }
  const database = await prepareDatabase(readConfig(), { seed: false });
  try {
    if (command === 'create') {
      const token = await createToken(database.prisma, name, scopes.length ? scopes : ['editor']);
      console.error(`created token "${name}"; it is shown once, store it now:`);
      console.log(token);
    } else {
      await revokeToken(database.prisma, name);
      console.error(`revoked token "${name}"`);
    }
    return 0;
  } catch (error) {
    if (error instanceof TokenError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`token command failed: ${error.message}`);
    process.exit(1);
  },
);
