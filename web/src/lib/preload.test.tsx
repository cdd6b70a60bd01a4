// @vitest-environment jsdom
import { act, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ComponentType } from 'react';
import { usePreloadedComponent } from './preload';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((ok, fail) => ((resolve = ok), (reject = fail)));
  return { promise, resolve, reject };
}

type Loaded = { default: ComponentType<{ who: string }> };

function Host({ load }: { load: () => Promise<Loaded> }) {
  const { component: Loaded, error } = usePreloadedComponent(load);
  if (error) return <p>failed: {error}</p>;
  return Loaded ? <Loaded who="Ann" /> : <p>loading</p>;
}

describe('usePreloadedComponent', () => {
  it('renders the component in the same commit once its module has loaded', async () => {
    const mod = deferred<Loaded>();
    let calls = 0;
    const load = () => (calls++, mod.promise);
    render(<Host load={load} />);
    expect(screen.getByText('loading')).toBeTruthy();
    await act(async () => mod.resolve({ default: ({ who }) => <p>hello {who}</p> }));
    expect(screen.getByText('hello Ann')).toBeTruthy();
    expect(calls).toBe(1);
  });

  it('reports a module that fails to load instead of waiting forever', async () => {
    const mod = deferred<Loaded>();
    render(<Host load={() => mod.promise} />);
    await act(async () => mod.reject(new Error('network down')));
    expect(screen.getByText('failed: network down')).toBeTruthy();
  });
});
