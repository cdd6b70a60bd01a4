import { useEffect, useState, type ComponentType } from 'react';

/** What usePreloadedComponent knows so far: the component, a load error, or neither yet. */
export interface Preloaded<P> {
  component?: ComponentType<P>;
  error?: string;
}

/**
 * usePreloadedComponent starts loading a code-split component when the caller
 * mounts and returns it once loaded.
 *
 * React's lazy() would suspend the first render even when the chunk is already
 * in memory and then hold the fallback on screen for its reveal throttle
 * (about 300 ms); a component kept in state renders in the same commit.
 */
export function usePreloadedComponent<P>(load: () => Promise<{ default: ComponentType<P> }>): Preloaded<P> {
  const [state, setState] = useState<Preloaded<P>>({});
  useEffect(() => {
    let live = true;
    load().then(
      (mod) => live && setState({ component: mod.default }),
      (err: unknown) => live && setState({ error: err instanceof Error ? err.message : String(err) }),
    );
    return () => {
      live = false;
    };
  }, [load]);
  return state;
}
