// What the consumer apps do, given the modules each app imported its own way (app.cjs with
// require, app.mjs with import): Python's quickstart (README, examples/quickstart.ts), then one
// shared context with the app's own @opentelemetry/api. Imports nothing itself, so each app's
// imports are what Node, esbuild and webpack resolve. Every form must print expected.txt.
exports.run = async function run({ api, contextvars, sleep }) {
  const { ROOT_CONTEXT, context, createContextKey } = api;
  const { ContextVar, ContextVarsContextManager, isolated } = contextvars;
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

  console.log(`Before tasks: ${currentUser.get()}`);
  await Promise.all([handle('Alice'), handle('Bob')]);
  console.log(`After tasks: ${currentUser.get()}`);
  // Our manager's root is the app's ROOT_CONTEXT only when the bundle holds one copy of the API.
  console.log(`root is the user's ROOT_CONTEXT: ${context.active() === ROOT_CONTEXT}`);
  const seen = await context.with(ROOT_CONTEXT.setValue(apiKey, 'api value'), async () => {
    requestId.set('r-1');
    await sleep(1);
    return `${context.active().getValue(apiKey)} + ${requestId.get()}`;
  });
  console.log(`inside context.with after await: ${seen}; after it: ${requestId.get()}`);
};
