#!/usr/bin/env node
// The `localnet` command. A committed file, so npm links it at install time, before `make build`
// has produced dist/.
try {
  require.resolve('../dist/cli.js');
} catch {
  console.error('localnet is not built yet: run `make build` (or `make localnet`) first.');
  process.exit(1);
}
require('../dist/cli.js');
