import { cleanup } from '@testing-library/preact';
import { afterEach } from 'vitest';

// @testing-library/preact cleans up automatically only with Vitest globals, which we do not use.
afterEach(() => cleanup());
