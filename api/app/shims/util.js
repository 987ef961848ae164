// Browser stand-in for Node's `util`: generate-function (near-api-js → is-my-json-valid) uses
// only util.format with %s, %d, %j, %%.
export function format(template, ...args) {
  let i = 0;
  const text = String(template).replace(/%[sdj%]/g, (m) => {
    if (m === '%%') return '%';
    const v = args[i++];
    if (m === '%d') return String(Number(v));
    if (m === '%j') return JSON.stringify(v);
    return String(v);
  });
  return [text, ...args.slice(i).map(String)].join(' ');
}
export default { format };
