import fs from 'node:fs';
import path from 'node:path';

/** The nested project that holds the OpenTelemetry JS 3.x line (api 1.10, SDK 3.x). */
export const OTEL3_DIR = path.resolve(__dirname, '../otel3');
/** Where the 3.x line's `@opentelemetry/api` 1.10 is installed; every module of a 3.x test loads it. */
export const OTEL3_API = path.join(OTEL3_DIR, 'node_modules/@opentelemetry/api');
/** What to run to install the 3.x line (CI does it in .ci/otel-lines.sh). */
export const OTEL3_INSTALL = 'npm ci --prefix test/otel3';

/** Whether this Node.js line can run the 3.x SDK packages, whose engines field asks for >= 22.15. */
export function nodeRunsOtel3(version: string = process.versions.node): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major > 22 || (major === 22 && minor >= 15);
}

function installedApiVersion(): string | undefined {
  try {
    return (JSON.parse(fs.readFileSync(path.join(OTEL3_API, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return undefined;
  }
}

/**
 * Whether the 3.x tests run here, and if not, why: they need Node >= 22.15 and the nested project
 * installed. `mustRun` is true where a skip is a failure: under CI on a line that supports 3.x.
 */
export function otel3Line(): { runs: boolean; mustRun: boolean; reason: string } {
  const nodeOk = nodeRunsOtel3();
  const api = installedApiVersion();
  const mustRun = nodeOk && process.env.CI === 'true';
  if (!nodeOk)
    return {
      runs: false,
      mustRun,
      reason: `Node ${process.versions.node} cannot run the OpenTelemetry JS 3.x SDK (it needs >= 22.15)`,
    };
  if (api === undefined)
    return { runs: false, mustRun, reason: `the 3.x line is not installed: run \`${OTEL3_INSTALL}\`` };
  if (!api.startsWith('1.10.'))
    return {
      runs: false,
      mustRun,
      reason: `test/otel3 has @opentelemetry/api ${api}, not 1.10: run \`${OTEL3_INSTALL}\``,
    };
  return { runs: true, mustRun, reason: `Node ${process.versions.node}, @opentelemetry/api ${api} from test/otel3` };
}
