// Gas metering for the VM engine: the bundle is instrumented once per code hash so that every
// loop iteration and function entry counts one "op". Ops are charged VM_GAS_PER_OP each, so a
// runaway loop fails with GasExceeded (deterministically, as on chain) instead of hanging.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { types as t, transformSync } from '@babel/core';

/** Bump when the instrumentation changes: it keys the on-disk cache. */
const METER_VERSION = 1;
const CACHE_DIR = path.join(os.tmpdir(), `snear-localnet-meter-v${METER_VERSION}`);

/** Name of the per-call meter object the instrumented code reads (a factory parameter). */
export const METER = '__snear_meter';

/** `if (++METER.n > METER.limit) METER.exceeded();` */
function tick(): t.Statement {
  const meter = t.identifier(METER);
  return t.ifStatement(
    t.binaryExpression(
      '>',
      t.updateExpression('++', t.memberExpression(meter, t.identifier('n')), true),
      t.memberExpression(meter, t.identifier('limit')),
    ),
    t.expressionStatement(
      t.callExpression(t.memberExpression(t.identifier(METER), t.identifier('exceeded')), []),
    ),
  );
}

function meterPlugin() {
  const loop = (path: { node: { body: t.Statement } }) => {
    const body = path.node.body;
    path.node.body = t.isBlockStatement(body)
      ? t.blockStatement([tick(), ...body.body], body.directives)
      : t.blockStatement([tick(), body]);
  };
  const fn = (path: { node: { body: t.BlockStatement | t.Expression } }) => {
    const body = path.node.body;
    if (t.isBlockStatement(body)) body.body.unshift(tick());
    else path.node.body = t.blockStatement([tick(), t.returnStatement(body)]);
  };
  return {
    visitor: {
      'ForStatement|WhileStatement|DoWhileStatement|ForInStatement|ForOfStatement': loop,
      'FunctionDeclaration|FunctionExpression|ArrowFunctionExpression|ObjectMethod|ClassMethod|ClassPrivateMethod':
        fn,
    },
  };
}

/** Insert op ticks at loop back-edges and function entries. */
export function instrumentSource(source: string): string {
  const result = transformSync(source, {
    babelrc: false,
    configFile: false,
    compact: false,
    comments: false,
    sourceType: 'script',
    parserOpts: { allowReturnOutsideFunction: true },
    plugins: [meterPlugin],
  });
  if (!result?.code) throw new Error('E_METER: instrumenting the bundle produced no code');
  return result.code;
}

/**
 * `instrumentSource` with an on-disk cache keyed by the source's sha256 (instrumenting a 170 kB
 * bundle takes about a second; every jest worker would otherwise redo it).
 */
export function instrumentSourceCached(source: string): string {
  const key = createHash('sha256').update(source).digest('hex');
  const file = path.join(CACHE_DIR, `${key}.js`);
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    // not cached yet
  }
  const code = instrumentSource(source);
  try {
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, code);
    fs.renameSync(tmp, file);
  } catch {
    // a read-only temp dir only costs speed
  }
  return code;
}
