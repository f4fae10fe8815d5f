/** The page's elements, found once: a missing one is a bug in index.html, said at start-up. */
export function element<T extends Element>(selector: string): T {
  const found = document.querySelector<T>(selector);
  if (!found) throw new Error(`index.html has no ${selector}`);
  return found;
}

/** A table row of plain-text cells (text from the gateway goes in as text, never as HTML). */
export function textRow(cells: readonly (readonly [className: string, text: string])[], rowClass = ''): HTMLTableRowElement {
  const tr = document.createElement('tr');
  if (rowClass) tr.className = rowClass;
  for (const [className, text] of cells) {
    const td = tr.insertCell();
    td.className = className;
    td.textContent = text;
  }
  return tr;
}

/**
 * Tabs (WAI-ARIA tabs pattern): one panel shown; arrow keys move between tabs. Returns a function
 * that shows the panel of that ID, as a click on its tab would.
 */
export function setUpTabs(tablist: HTMLElement, onShow: (panelId: string) => void = () => {}): (panelId: string) => void {
  const tabs = [...tablist.querySelectorAll<HTMLButtonElement>('[role=tab]')];
  const select = (chosen: HTMLButtonElement) => {
    for (const tab of tabs) {
      const selected = tab === chosen;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
      const panel = document.getElementById(tab.getAttribute('aria-controls') ?? '');
      if (panel) panel.hidden = !selected;
    }
    onShow(chosen.getAttribute('aria-controls') ?? '');
  };
  for (const [index, tab] of tabs.entries()) {
    tab.addEventListener('click', () => select(tab));
    tab.addEventListener('keydown', (event) => {
      const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
      if (step === 0) return;
      const next = tabs[(index + step + tabs.length) % tabs.length];
      if (next) {
        select(next);
        next.focus();
      }
    });
  }
  return (panelId) => {
    const tab = tabs.find((candidate) => candidate.getAttribute('aria-controls') === panelId);
    if (tab) select(tab);
  };
}
