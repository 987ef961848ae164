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
