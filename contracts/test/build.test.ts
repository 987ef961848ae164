// Checks the artifacts of `make contracts` (contracts/scripts/build-all.sh) for every contract
// under contracts/src/<name>/index.ts: the bundle exports exactly the contract's methods, and
// the wasm exports exactly those methods and imports only NEAR host functions (`env.*`).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { HOST_FUNCTION_NAMES } from '@snear/localnet';
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

    test('the wasm exports exactly those methods, plus its memory', () => {
      const mod = new WebAssembly.Module(artifact(wasmFile));
      const exports = WebAssembly.Module.exports(mod);
      const functions = exports.filter((e) => e.kind === 'function').map((e) => e.name);
      expect(functions.sort()).toEqual(declaredMethods(entry));
      expect(exports.filter((e) => e.kind !== 'function')).toEqual([
        { name: 'memory', kind: 'memory' },
      ]);
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
  /** Run an ES-module snippet against contracts/scripts; returns its exit code and output. */
  function script(code: string): { status: number | null; output: string } {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
      cwd: path.join(CONTRACTS_DIR, 'scripts'),
      encoding: 'utf8',
    });
    return { status: r.status, output: `${r.stdout}${r.stderr}` };
  }

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
});
