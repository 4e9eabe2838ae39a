// Python's contextvars quickstart, ported. Run: npx tsx examples/quickstart.ts
//
//   current_user = ContextVar('current_user', default='Guest')
//   async def handle(name): token = current_user.set(name); try: ...; finally: current_user.reset(token)
//   await asyncio.gather(handle('Alice'), handle('Bob'))
//
// asyncio.gather wraps each coroutine in a Task, and a Task runs in a copy of the context. The JS
// form of that is `isolated(fn)`: each call runs in its own copy, so Alice and Bob never see each
// other and nothing leaks back to main().
import { setTimeout as sleep } from 'node:timers/promises';
import { ContextVar, isolated } from 'otel-contextvars';

const currentUser = new ContextVar<string>('current_user', { default: 'Guest' });

const handle = isolated(async (name: string): Promise<void> => {
  const token = currentUser.set(name);
  try {
    console.log(`Task for ${name}: Currently handled by ${currentUser.get()}`);
    await sleep(100);
    console.log(`Task for ${name}: Still handled by ${currentUser.get()}`);
  } finally {
    currentUser.reset(token);
  }
});

async function main(): Promise<void> {
  console.log(`Before tasks: ${currentUser.get()}`);
  await Promise.all([handle('Alice'), handle('Bob')]);
  console.log(`After tasks: ${currentUser.get()}`);
}

void main();
