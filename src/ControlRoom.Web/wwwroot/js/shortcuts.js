// Single-key shortcuts for the operations page. Keys typed into a field, or with a modifier, are left
// alone; so is everything while a dialog is open (it has its own keys).
export function listenShortcuts(dotnetRef, keys) {
  const wanted = new Set(keys.map((k) => k.toLowerCase()));
  const handler = (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.repeat) return;
    const target = e.target;
    if (target instanceof HTMLElement && (target.isContentEditable || /^(input|textarea|select)$/i.test(target.tagName))) return;
    if (document.querySelector('.mud-dialog-container')) return;
    const key = e.key.toLowerCase();
    if (!wanted.has(key)) return;
    e.preventDefault();
    dotnetRef.invokeMethodAsync('Shortcut', key);
  };
  document.addEventListener('keydown', handler);
  return { dispose: () => document.removeEventListener('keydown', handler) };
}
