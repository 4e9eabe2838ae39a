// A Context object keeps what was set while it was entered, and nothing else (Python's rule):
// a value a request handler sets without reset never shows through a Context captured elsewhere,
// and no cache of the package keeps a value reachable after its scope.
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { Context, ContextVar, copyContext, currentContext, isolated } from '../../src/index';
import { close, getJson, listen } from '../support/http';
import { runNode } from '../support/run-node';

const url = new ContextVar<string>('url');

describe('a Context captured at start-up', () => {
  test('never shows a value a request handler set, read from outside or entered from elsewhere', async () => {
    const root = currentContext();
    const server = http.createServer((req, res) => {
      url.set(req.url!);
      // Inside the handler, the Context it runs in reads live: its own request's value.
      res.end(JSON.stringify({ live: root.get(url, '<unset>') }));
    });
    const port = await listen(server);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect(await getJson(agent, port, '/a')).toEqual({ live: '/a' });
      expect(await getJson(agent, port, '/b')).toEqual({ live: '/b' });
    } finally {
      agent.destroy();
      await close(server);
    }
    expect(url.get('<unset>')).toBe('<unset>');
    expect(root.get(url, '<unset>')).toBe('<unset>');
    expect(isolated(() => root.get(url, '<unset>'))()).toBe('<unset>');
    expect(isolated(() => root.run(() => url.get('<unset>')))()).toBe('<unset>');
    expect(new Context().run(() => [...root.keys()])).toEqual([]);
  });

  test('a set after an await inside Context.run is kept by that Context, as a Task with context= keeps it', async () => {
    const ctx = copyContext();
    await ctx.run(async () => {
      url.set('before await');
      await sleep(1);
      url.set('after await');
    });
    expect(ctx.get(url)).toBe('after await');
    expect(url.get('<unset>')).toBe('<unset>');
  });

  test('a value set in one isolated call is not seen through a Context captured in another', async () => {
    let captured: Context | undefined;
    await isolated(async () => {
      captured = currentContext();
      await sleep(1);
    })();
    await isolated(async () => {
      url.set('other call');
      await sleep(1);
    })();
    expect(captured!.get(url, '<unset>')).toBe('<unset>');
  });
});

describe('read caching', () => {
  test("a var's reads keep no context alive: a large value is collected once its scope is over", async () => {
    const out = JSON.parse(await runNode(['--expose-gc', 'test/fixtures/read-cache-gc.cjs'])) as Record<
      string,
      boolean
    >;
    expect(out).toEqual({ readInsideRun: true, readOfItself: true });
  });
});

describe('ContextVar.for', () => {
  test('returns one var per name, across loaded copies of the package; new ContextVar stays distinct', async () => {
    const a = ContextVar.for<string>('tenant-for-test');
    expect(ContextVar.for('tenant-for-test')).toBe(a);
    expect(new ContextVar('tenant-for-test')).not.toBe(a);
    const out = await runNode([
      '--input-type=module',
      '-e',
      `import { createRequire } from 'node:module';
       const esm = await import('otel-contextvars');
       const cjs = createRequire(process.cwd() + '/')('otel-contextvars');
       const v = esm.ContextVar.for('rid');
       console.log(JSON.stringify({ same: cjs.ContextVar.for('rid') === v, seen: v.run('x', () => cjs.ContextVar.for('rid').get()) }));`,
    ]);
    expect(JSON.parse(out)).toEqual({ same: true, seen: 'x' });
  });

  test('options that conflict with the registered var throw a TypeError naming both', () => {
    const v = ContextVar.for('with-default-for-test', { default: 1 });
    expect(ContextVar.for('with-default-for-test', { default: 1 })).toBe(v);
    expect(ContextVar.for('with-default-for-test')).toBe(v);
    expect(() => ContextVar.for('with-default-for-test', { default: 2 })).toThrow(
      /ContextVar.for\('with-default-for-test'\) with default=2 conflicts with the registered <ContextVar name='with-default-for-test' default=1/,
    );
    expect(() => ContextVar.for('with-default-for-test', {})).toThrow(TypeError);
    expect(() => ContextVar.for(1 as never)).toThrow(TypeError);
  });
});

describe('ContextVar.withScope', () => {
  test('binds the value until disposed, in a scope of its own, and restores the caller exactly', () => {
    const before = url.set('caller');
    {
      using _scope = url.withScope('scoped');
      expect(url.get()).toBe('scoped');
      url.set('set inside the scope');
      expect(url.get()).toBe('set inside the scope');
    }
    expect(url.get()).toBe('caller');
    url.reset(before);
    expect(url.get('<unset>')).toBe('<unset>');
  });
});
