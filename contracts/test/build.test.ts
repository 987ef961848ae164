// Checks the artifacts of `make contracts` (contracts/scripts/build-all.sh) for every contract
// under contracts/src/<name>/index.ts: the bundle exports exactly the contract's methods, and
// the wasm exports exactly those methods and imports only NEAR host functions (`env.*`).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { HOST_FUNCTION_NAMES, prepareContract } from '@snear/localnet';
import ts from 'typescript';

const CONTRACTS_DIR = path.resolve(__dirname, '..');
const SRC_DIR = path.join(CONTRACTS_DIR, 'src');
const BUILD_DIR = path.join(CONTRACTS_DIR, 'build');

const METHOD_DECORATORS = new Set(['call', 'view', 'initialize', 'migrate']);

function contracts(): string[] {
  return fs
    .readdirSync(SRC_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(SRC_DIR, d.name, 'index.ts')))
    .map((d) => d.name)
    .sort();
}

function decoratorName(d: ts.Decorator): string | undefined {
  const e = d.expression;
  if (ts.isCallExpression(e) && ts.isIdentifier(e.expression)) return e.expression.text;
  if (ts.isIdentifier(e)) return e.text;
  return undefined;
}

function hasExport(node: ts.Node): boolean {
  return (
    ts.canHaveModifiers(node) &&
    (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
  );
}

/**
 * The methods a contract declares, read from its TypeScript source independently of the build:
 * @call/@view/@initialize/@migrate methods of its @NearBindgen class (near-sdk-js's bindgen keys
 * on the first decorator), plus values the entry file exports itself (`export { f as new }`).
 * The @NearBindgen class is not a method (the build drops its export).
 */
function declaredMethods(entry: string): string[] {
  const sf = ts.createSourceFile(entry, fs.readFileSync(entry, 'utf8'), ts.ScriptTarget.ES2020);
  const methods: string[] = [];
  const contractClasses = new Set<string>();
  for (const stmt of sf.statements) {
    if (ts.isClassDeclaration(stmt)) {
      const decorators = ts.getDecorators(stmt) ?? [];
      if (decorators.some((d) => decoratorName(d) === 'NearBindgen')) {
        if (stmt.name) contractClasses.add(stmt.name.text);
        for (const member of stmt.members) {
          if (!ts.isMethodDeclaration(member) || !ts.isIdentifier(member.name)) continue;
          const first = (ts.getDecorators(member) ?? [])[0];
          if (first && METHOD_DECORATORS.has(decoratorName(first) ?? '')) {
            methods.push(member.name.text);
          }
        }
        continue;
      }
    }
    if (ts.isFunctionDeclaration(stmt) && hasExport(stmt) && stmt.name) {
      methods.push(stmt.name.text);
    } else if (ts.isClassDeclaration(stmt) && hasExport(stmt) && stmt.name) {
      methods.push(stmt.name.text);
    } else if (ts.isVariableStatement(stmt) && hasExport(stmt)) {
      for (const d of stmt.declarationList.declarations) {
        if (ts.isIdentifier(d.name)) methods.push(d.name.text);
      }
    } else if (ts.isExportDeclaration(stmt) && !stmt.isTypeOnly) {
      if (!stmt.exportClause || !ts.isNamedExports(stmt.exportClause)) {
        throw new Error(
          `${entry}: \`export * from\` hides the method list; export names explicitly`,
        );
      }
      for (const el of stmt.exportClause.elements) {
        if (el.isTypeOnly) continue;
        const local = (el.propertyName ?? el.name).text;
        if (!stmt.moduleSpecifier && contractClasses.has(local)) continue;
        methods.push(el.name.text);
      }
    }
  }
  return methods.sort();
}

/** Export names of the rollup bundle (an ES module). */
function bundleExports(file: string): string[] {
  const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2020);
  const names: string[] = [];
  for (const stmt of sf.statements) {
    if (ts.isExportDeclaration(stmt) && stmt.exportClause && ts.isNamedExports(stmt.exportClause)) {
      for (const el of stmt.exportClause.elements) names.push(el.name.text);
    } else if (hasExport(stmt)) {
      throw new Error(
        `${file}: unexpected export statement; rollup ES output ends in export { ... }`,
      );
    }
  }
  return names.sort();
}

/** Read a build artifact, or fail saying how to produce it. */
function artifact(file: string): Uint8Array<ArrayBuffer> {
  if (!fs.existsSync(file)) {
    throw new Error(
      `${path.relative(process.cwd(), file)} is missing: run make contracts (bash contracts/scripts/build-all.sh)`,
    );
  }
  return new Uint8Array(fs.readFileSync(file));
}

/** Run an ES-module snippet against contracts/scripts; returns its exit code and output. */
function script(code: string): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
    cwd: path.join(CONTRACTS_DIR, 'scripts'),
    encoding: 'utf8',
  });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('contract build artifacts', () => {
  const names = contracts();

  test('every contract directory is found, host-test included', () => {
    expect(names).toContain('host-test');
  });

  describe.each(names)('%s', (name) => {
    const entry = path.join(SRC_DIR, name, 'index.ts');
    const jsFile = path.join(BUILD_DIR, `${name}.js`);
    const wasmFile = path.join(BUILD_DIR, `${name}.wasm`);

    test('the bundle exports exactly the declared methods', () => {
      artifact(jsFile);
      const declared = declaredMethods(entry);
      expect(declared.length).toBeGreaterThan(0);
      expect(bundleExports(jsFile)).toEqual(declared);
    });

    test('the bundle carries no off-chain code (big.js decimal text)', () => {
      const bundle = Buffer.from(artifact(jsFile)).toString('utf8');
      expect(bundle).not.toContain("NAME = '[big.js] '");
      expect(bundle).not.toMatch(/function Big\(n\)/);
    });

    test('the wasm exports exactly those methods, plus its memory', () => {
      const mod = new WebAssembly.Module(artifact(wasmFile));
      const exports = WebAssembly.Module.exports(mod);
      const functions = exports.filter((e) => e.kind === 'function').map((e) => e.name);
      expect(functions.sort()).toEqual(declaredMethods(entry));
      expect(exports.filter((e) => e.kind !== 'function')).toEqual([
        { name: 'memory', kind: 'memory' },
      ]);
    });

    test('the wasm is pre-initialised: no init export, no custom sections, reproducible', () => {
      const bytes = artifact(wasmFile);
      const mod = new WebAssembly.Module(bytes);
      expect(WebAssembly.Module.exports(mod).map((e) => e.name)).not.toContain('__snear_preinit');
      for (const section of ['name', 'producers', 'target_features', '.debug_info']) {
        expect(WebAssembly.Module.customSections(mod, section)).toEqual([]);
      }
      // nearcore's max_contract_size, and prepare_v3's rules (imports, features, limits)
      expect(bytes.length).toBeLessThanOrEqual(4 * 1024 * 1024);
      expect(() => prepareContract(bytes)).not.toThrow();
      // The build's own input, pre-initialised again here, gives the same bytes.
      const raw = path.join(CONTRACTS_DIR, 'native', 'work', name, 'raw.wasm');
      artifact(raw);
      const again = script(
        `import fs from 'node:fs'; import { createHash } from 'node:crypto';
         import { preinitialise } from './preinit.mjs';
         const out = preinitialise(fs.readFileSync(${JSON.stringify(raw)})).bytes;
         process.stdout.write(createHash('sha256').update(out).digest('hex'));`,
      );
      expect(again.output).toBe(createHash('sha256').update(bytes).digest('hex'));
    });

    test('the wasm imports only NEAR host functions from env', () => {
      const mod = new WebAssembly.Module(artifact(wasmFile));
      const imports = WebAssembly.Module.imports(mod);
      const foreign = imports
        .filter(
          (i) => i.module !== 'env' || i.kind !== 'function' || !HOST_FUNCTION_NAMES.has(i.name),
        )
        .map((i) => `${i.module}.${i.name} (${i.kind})`);
      expect(foreign).toEqual([]);
      // every contract reads its input and returns through the host
      const names = imports.map((i) => i.name);
      expect(names).toEqual(expect.arrayContaining(['input', 'value_return', 'panic_utf8']));
    });
  });
});

describe('build scripts', () => {
  test('a method named like a C symbol of builder.c is refused, naming the method', () => {
    for (const name of ['panic', 'input', 'sha256', 'log_utf8', 'storage_usage']) {
      const r = script(
        `import { methodsHeader } from './wasm.mjs'; methodsHeader(['ok', '${name}']);`,
      );
      expect(r.status).not.toBe(0);
      expect(r.output).toContain(`method "${name}" clashes with a C symbol`);
    }
    const ok = script(
      `import { methodsHeader } from './wasm.mjs'; process.stdout.write(methodsHeader(['get_count', 'new']));`,
    );
    expect(ok.output).toBe('DEFINE_NEAR_METHOD(get_count)\nDEFINE_NEAR_METHOD(new)\n');
  });

  /**
   * A hand-made module: imports env.storage_read, defines 1 page of memory with "abc" at 16 and a
   * mutable i32 global `g` (0); `__snear_preinit` stores 0x01020304 at 1024 and sets `g` to 7,
   * then (when `callHost`) calls storage_read.
   */
  function preinitModule(callHost: boolean): Buffer {
    const section = (id: number, body: number[]) => [id, body.length, ...body];
    const str = (s: string) => [s.length, ...Buffer.from(s)];
    const body = [
      0, // no locals
      ...[0x41, 0x80, 0x08, 0x41, 0x84, 0x86, 0x88, 0x08, 0x36, 0x02, 0x00], // *(i32*)1024 = 0x01020304
      ...[0x41, 0x07, 0x24, 0x00], // g = 7
      ...(callHost ? [0x42, 0, 0x42, 0, 0x42, 0, 0x10, 0, 0x1a] : []), // drop(storage_read(0, 0, 0))
      0x0b,
    ];
    return Buffer.from([
      ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
      ...section(1, [2, 0x60, 0, 0, 0x60, 3, 0x7e, 0x7e, 0x7e, 1, 0x7e]),
      ...section(2, [1, ...str('env'), ...str('storage_read'), 0, 1]),
      ...section(3, [1, 0]),
      ...section(5, [1, 0, 1]),
      ...section(6, [1, 0x7f, 1, 0x41, 0, 0x0b]),
      ...section(7, [
        3,
        ...str('memory'),
        2,
        0,
        ...str('__snear_preinit'),
        0,
        1,
        ...str('g'),
        3,
        0,
      ]),
      ...section(10, [1, body.length, ...body]),
      ...section(11, [1, 0, 0x41, 16, 0x0b, ...str('abc')]),
      ...section(0, [...str('name'), 0]),
    ]);
  }

  test('pre-initialisation snapshots memory and mutable globals, and drops the init export', () => {
    const r = script(
      `import { preinitialise } from './preinit.mjs';
       const out = preinitialise(Buffer.from('${preinitModule(false).toString('base64')}', 'base64'));
       process.stdout.write(Buffer.from(out.bytes).toString('base64'));`,
    );
    expect(r.status).toBe(0);
    const mod = new WebAssembly.Module(Buffer.from(r.output, 'base64'));
    expect(WebAssembly.Module.exports(mod).map((e) => e.name)).toEqual(['memory', 'g']);
    expect(WebAssembly.Module.customSections(mod, 'name')).toEqual([]);
    const { exports } = new WebAssembly.Instance(mod, { env: { storage_read: () => 0n } });
    expect((exports.g as WebAssembly.Global).value).toBe(7);
    const memory = new Uint8Array((exports.memory as WebAssembly.Memory).buffer);
    expect([...memory.subarray(1024, 1028)]).toEqual([4, 3, 2, 1]);
    expect(Buffer.from(memory.subarray(16, 19)).toString()).toBe('abc');
  });

  test('pre-initialisation refuses host calls, naming the function', () => {
    const r = script(
      `import { preinitialise } from './preinit.mjs';
       preinitialise(Buffer.from('${preinitModule(true).toString('base64')}', 'base64'));`,
    );
    expect(r.status).not.toBe(0);
    expect(r.output).toContain(
      'E_PREINIT_HOST_CALL: env.storage_read was called while pre-initialising',
    );
  });
});
