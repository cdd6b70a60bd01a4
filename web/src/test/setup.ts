// Unmount rendered trees between tests (Testing Library only does this by
// itself when Vitest globals are on).
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

afterEach(() => cleanup());
