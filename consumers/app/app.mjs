// An ESM consumer: Python's quickstart (README, examples/quickstart.ts) and one shared context
// with the user's own @opentelemetry/api. Run as is by Node and bundled by esbuild and webpack
// (consumers/app/check.mjs); every form must print expected.txt.
import { ROOT_CONTEXT, context, createContextKey } from '@opentelemetry/api';
import { setTimeout as sleep } from 'node:timers/promises';
import { ContextVar, ContextVarsContextManager, isolated } from 'otel-contextvars';

context.setGlobalContextManager(new ContextVarsContextManager());
const currentUser = new ContextVar('current_user', { default: 'Guest' });
const requestId = new ContextVar('requestId', { default: 'none' });
const apiKey = createContextKey('set through the api');

const handle = isolated(async (name) => {
  const token = currentUser.set(name);
  try {
    console.log(`Task for ${name}: Currently handled by ${currentUser.get()}`);
    await sleep(50);
    console.log(`Task for ${name}: Still handled by ${currentUser.get()}`);
  } finally {
    currentUser.reset(token);
  }
});

async function main() {
  console.log(`Before tasks: ${currentUser.get()}`);
  await Promise.all([handle('Alice'), handle('Bob')]);
  console.log(`After tasks: ${currentUser.get()}`);
  // Our manager's root is the user's ROOT_CONTEXT only when the bundle holds one copy of the API.
  console.log(`root is the user's ROOT_CONTEXT: ${context.active() === ROOT_CONTEXT}`);
  const seen = await context.with(ROOT_CONTEXT.setValue(apiKey, 'api value'), async () => {
    requestId.set('r-1');
    await sleep(1);
    return `${context.active().getValue(apiKey)} + ${requestId.get()}`;
  });
  console.log(`inside context.with after await: ${seen}; after it: ${requestId.get()}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
