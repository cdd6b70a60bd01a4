// Unmount rendered trees between tests (Testing Library only does this by
// itself when Vitest globals are on).
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

afterEach(() => cleanup());

// findBy… and waitFor wait up to 10 s instead of 1 s: CI runs these tests
// beside the Go tests and browsers on two cores, where a render plus a
// fetch answered in memory has taken over a second. They still return as
// soon as the condition holds.
configure({ asyncUtilTimeout: 10_000 });
