// Starts the geometry worker (TypeScript) in its thread: tsx's loader is registered here, since a worker
// thread does not inherit the loader hooks of the thread that started it.
import { register } from 'tsx/esm/api';

register();
await import('./geometry-worker.ts');
