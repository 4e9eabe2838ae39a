// What `npm test` and `npm run lint` need beside the root install, installed when missing so a
// fresh clone needs no separate step:
//  - test/otel3: the OpenTelemetry JS 3.x line (api 1.10, SDK 3.x) from its own lockfile, apart
//    from the root's 2.x line, whose peer ranges stop below api 1.10. Installed on every Node
//    line: npm only warns about its engines field on Node 20, and the type-aware lint and the
//    type check read its sources there too.
//  - .venv: OpenTelemetry Python's API for the cross-language test, at the pinned versions. When
//    Python or its package index is unavailable the test says so and skips (under CI=true it fails).
// Each step is skipped when its stamp matches the lockfile or requirements it was installed from.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const only = process.argv.slice(2);
const wanted = (step) => only.length === 0 || only.includes(`--${step}`);

function stampMatches(stamp, source) {
  try {
    return fs.readFileSync(stamp, 'utf8') === fs.readFileSync(source, 'utf8');
  } catch {
    return false;
  }
}

function run(cmd, args) {
  execFileSync(cmd, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
}

if (wanted('otel3')) {
  const lock = path.join(ROOT, 'test/otel3/package-lock.json');
  const stamp = path.join(ROOT, 'test/otel3/node_modules/.installed-from-lock');
  if (!stampMatches(stamp, lock)) {
    console.error('test-deps: installing the OpenTelemetry JS 3.x line (npm ci --prefix test/otel3)');
    run('npm', ['ci', '--prefix', 'test/otel3', '--no-audit', '--no-fund', '--loglevel=error']);
    fs.copyFileSync(lock, stamp);
  }
}

if (wanted('venv')) {
  const requirements = path.join(ROOT, 'test/fixtures/python/requirements.txt');
  const stamp = path.join(ROOT, '.venv/installed-requirements.txt');
  if (!stampMatches(stamp, requirements)) {
    console.error("test-deps: installing OpenTelemetry Python's API into .venv");
    try {
      if (!fs.existsSync(path.join(ROOT, '.venv/bin/python'))) run('python3', ['-m', 'venv', '.venv']);
      run('.venv/bin/pip', [
        'install',
        '--quiet',
        '--disable-pip-version-check',
        '--retries',
        '0',
        '--no-deps',
        '-r',
        requirements,
      ]);
      fs.copyFileSync(requirements, stamp);
    } catch (error) {
      // Not fatal: the cross-language test skips with the reason, and fails under CI=true.
      console.error(`test-deps: .venv not installed (${error.message.split('\n')[0]})`);
    }
  }
}
