// Tiny DOM helpers.
export const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing from the page`);
  return el as T;
};

export function setText(id: string, text: string): void {
  $(id).textContent = text;
}

/** Shows `message` in the alert element `id` (hidden when empty). */
export function showMessage(id: string, message: string): void {
  const el = $(id);
  el.textContent = message;
  el.hidden = !message;
}

/** Fills the `<dl>` `id` with term/value pairs. */
export function fillDefinitions(id: string, rows: [string, string][]): void {
  $(id).replaceChildren(
    ...rows.flatMap(([k, v]) => {
      const dt = document.createElement('dt');
      dt.textContent = k;
      const dd = document.createElement('dd');
      dd.textContent = v;
      return [dt, dd];
    }),
  );
}

/** A table row of text cells. */
export function textRow(cells: (string | number)[]): HTMLTableRowElement {
  const tr = document.createElement('tr');
  for (const cell of cells) {
    const td = document.createElement('td');
    td.textContent = String(cell);
    tr.append(td);
  }
  return tr;
}
