// wallet-selector and @near-js use Node's global `Buffer`; esbuild injects this wherever a bundled
// module names it (and nowhere else).
export { Buffer } from 'buffer';
