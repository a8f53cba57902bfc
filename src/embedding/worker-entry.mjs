// The fallback entry when the worker cannot be bundled (see src/worker-code.ts):
// worker threads do not inherit the TypeScript loader of the thread that starts
// them in every runner (vitest, plain node), so register it here.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
