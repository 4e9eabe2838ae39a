// Carrying vars into a worker_threads Worker. A worker has its own event loop and its own
// module instances: nothing in the main thread's context reaches it. The propagator turns the
// vars into a plain carrier object that travels in the message; the worker extracts it and runs
// the job inside `context.with(extracted, ...)`, where its own vars of the same names hold the values.
// The same carrier works for child processes (`child.send`) and queues.
// Run: npm run build && npx tsx examples/worker-propagation.ts
import { Worker, isMainThread, parentPort } from 'node:worker_threads';
import { ROOT_CONTEXT, context, defaultTextMapGetter, defaultTextMapSetter } from '@opentelemetry/api';
import { ContextVar, ContextVarPropagator, ContextVarsContextManager, isolated } from 'otel-contextvars';

// Each thread evaluates this module, so each gets its own vars: the header matches them by name.
const tenant = new ContextVar<string>('tenant');
const requestId = new ContextVar<string>('request.id');
const propagator = new ContextVarPropagator({ vars: [tenant, requestId] });

// Needed in the worker for context.with to bind the vars; in the main thread for inject to see them.
context.setGlobalContextManager(new ContextVarsContextManager());

interface Job {
  carrier: Record<string, string>;
  orderId: number;
}

function runWorker(): void {
  const port = parentPort!;
  port.on('message', (job: Job) => {
    const extracted = propagator.extract(ROOT_CONTEXT, job.carrier, defaultTextMapGetter);
    context.with(extracted, () => {
      // Reached by timers and awaits too, as in any context.
      setTimeout(() => {
        port.postMessage(`worker: order ${job.orderId} for tenant=${tenant.get()} request.id=${requestId.get()}`);
      }, 5);
    });
    // Outside context.with the worker's own (empty) context is untouched.
    port.postMessage(`worker: between jobs tenant=${tenant.get('unset')}`);
  });
}

// `isolated`: each request sets its vars in its own context (see examples/express-request-id.ts).
const sendJob = isolated((worker: Worker, id: string, customer: string, orderId: number): void => {
  requestId.set(id);
  tenant.set(customer);
  const carrier: Record<string, string> = {};
  propagator.inject(context.active(), carrier, defaultTextMapSetter);
  console.log(`main: sending order ${orderId} with carrier ${JSON.stringify(carrier)}`);
  worker.postMessage({ carrier, orderId } satisfies Job);
});

async function runMain(): Promise<void> {
  // This same file runs in the worker. Loader hooks given with --import do not reach workers on
  // every Node line, so the worker registers tsx itself before requiring the TypeScript file;
  // compiled JavaScript would just be `new Worker(__filename)`.
  const worker = new Worker(
    `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(__filename)});`,
    { eval: true },
  );
  const replies: string[] = [];
  const done = new Promise<void>((resolve, reject) => {
    worker.on('message', (line: string) => {
      replies.push(line);
      if (replies.length === 4) resolve();
    });
    worker.on('error', reject);
  });
  sendJob(worker, 'req-1', 'acme, inc.', 1001);
  sendJob(worker, 'req-2', 'globex 😀', 1002);
  const timer = setTimeout(() => console.error('main: no answer from the worker in 10 s'), 10_000);
  try {
    await done;
  } finally {
    clearTimeout(timer);
    await worker.terminate();
  }
  for (const line of replies) console.log(line);
  console.log(`main: after the jobs tenant=${tenant.get('unset')}`);
}

if (isMainThread) void runMain();
else runWorker();
