// Lint-level rule: the money totals of the metapool change only in ledger.ts (its named
// transitions), so no module can move NEAR or shares without keeping the books identity.
import fs from 'node:fs';
import path from 'node:path';

const SRC = path.join(__dirname, '..', 'src', 'metapool');
const MONEY_FIELDS = [
  'totalStakedNear',
  'totalSnear',
  'owedNear',
  'reserveNear',
  'retrievedNear',
  'poolsStakedNear',
  'poolsUnstakedNear',
  'liquidity',
  'poolSnear',
  'lpShares',
  'lpUnstakingNear',
  'lockupShares',
  'seedSnear',
  'roundingFundNear',
  'stuckNear',
];
// `<anything>.<field> = | += | -= | ++ | --` (not `==`, `===`)
const WRITE = new RegExp(
  `\\.(${MONEY_FIELDS.join('|')})\\s*(?:=(?!=)|\\+=|-=|\\+\\+|--)|(?:\\+\\+|--)\\s*\\w+\\.(${MONEY_FIELDS.join('|')})\\b`,
);

function writesIn(file: string): string[] {
  const lines = fs.readFileSync(path.join(SRC, file), 'utf8').split('\n');
  return lines
    .map((line, i) => ({ line: line.replace(/\/\/.*$/, ''), at: `${file}:${i + 1}` }))
    .filter(({ line }) => WRITE.test(line))
    .map(({ at, line }) => `${at}: ${line.trim()}`);
}

const files = fs.readdirSync(SRC).filter((f) => f.endsWith('.ts'));

it('only ledger.ts writes the money totals', () => {
  const outside = files.filter((f) => f !== 'ledger.ts').flatMap(writesIn);
  expect(outside).toEqual([]);
});

it("the rule sees the ledger's own writes (the pattern is not blind)", () => {
  const inside = writesIn('ledger.ts').join('\n');
  for (const field of ['totalStakedNear', 'owedNear', 'poolsUnstakedNear', 'lpUnstakingNear'])
    expect(inside).toContain(`.${field}`);
});

it('every state-changing call asserts the books identity before its state is written', () => {
  const index = fs.readFileSync(path.join(SRC, 'index.ts'), 'utf8');
  expect(index).toMatch(/serializer: saveState/);
  expect(index).toMatch(/function saveState[\s\S]*assertBooks\(st\)[\s\S]*serializeState\(st\)/);
});
