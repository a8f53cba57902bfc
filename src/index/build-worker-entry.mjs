// See src/embedding/worker-entry.mjs: the worker registers the TypeScript loader itself.
import { register } from 'tsx/esm/api';

register();
await import('./build-worker.ts');
