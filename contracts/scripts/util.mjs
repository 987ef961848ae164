// Small helpers shared by the contract build scripts: child processes, hashing, logging.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';

/** Print one progress line, prefixed so it stands out in `make` output. */
export function log(message) {
  process.stdout.write(`[contracts] ${message}\n`);
}

/** Seconds since `start` (a performance.now() value), one decimal. */
export function since(start) {
  return `${((performance.now() - start) / 1000).toFixed(1)}s`;
}

/** An Error whose message says what failed and carries the tool output. */
export class BuildError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

/** Run a command; resolve with its output, reject with a BuildError carrying stderr. */
export function run(cmd, args, { cwd } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    child.on('error', (err) =>
      reject(new BuildError('E_TOOL_MISSING', `cannot run ${cmd}: ${err.message}`)),
    );
    child.on('close', (code) => {
      if (code === 0) resolve(out);
      else
        reject(
          new BuildError(
            'E_TOOL_FAILED',
            `${cmd} exited with ${code}: ${cmd} ${args.join(' ')}\n${out.trim()}`,
          ),
        );
    });
  });
}

/** A limiter that runs at most `n` async tasks at once. */
export function pool(n) {
  let active = 0;
  const queue = [];
  const next = () => {
    if (active >= n || queue.length === 0) return;
    active++;
    const { task, resolve, reject } = queue.shift();
    task()
      .then(resolve, reject)
      .finally(() => {
        active--;
        next();
      });
  };
  return (task) =>
    new Promise((resolve, reject) => {
      queue.push({ task, resolve, reject });
      next();
    });
}

/** sha256 hex of strings and buffers, in order. */
export function hash(...parts) {
  const h = createHash('sha256');
  for (const p of parts) {
    h.update(typeof p === 'string' ? p : Buffer.from(p));
    h.update('\0');
  }
  return h.digest('hex');
}

/** sha256 hex of a file's bytes, or 'missing'. */
export function hashFile(file) {
  try {
    return hash(fs.readFileSync(file));
  } catch {
    return 'missing';
  }
}

/** Write a file only when its content differs (keeps mtimes stable for make). */
export function writeIfChanged(file, content) {
  try {
    if (fs.readFileSync(file, 'utf8') === content) return false;
  } catch {
    // missing: write it
  }
  fs.writeFileSync(file, content);
  return true;
}
