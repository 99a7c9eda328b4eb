/** The geometry pool's worker thread: answers { id, issue } for every { id, geometry } it is sent. */
import { parentPort } from 'node:worker_threads';
import { geometryIssue } from './geometry-check';

parentPort!.on('message', (task: { id: number; geometry: Parameters<typeof geometryIssue>[0] }) => {
  try {
    parentPort!.postMessage({ id: task.id, issue: geometryIssue(task.geometry) ?? null });
  } catch (err) {
    parentPort!.postMessage({ id: task.id, error: (err as Error)?.message ?? String(err) });
  }
});
parentPort!.postMessage({ ready: true });
