// A router of one idea: the path is state. Pages are "/" and "/<slug>";
// navigate() pushes history and notifies subscribers.
import { useSyncExternalStore } from 'react';

const listeners = new Set<() => void>();
function emit() {
  for (const l of listeners) l();
}
function subscribe(l: () => void) {
  listeners.add(l);
  window.addEventListener('popstate', l);
  return () => {
    listeners.delete(l);
    window.removeEventListener('popstate', l);
  };
}

export function navigate(path: string, opts: { replace?: boolean } = {}) {
  if (opts.replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  emit();
}

export function usePath(): string {
  return useSyncExternalStore(subscribe, () => location.pathname);
}
