// A jest reporter: after the run, one block naming every suite and test that did not run, and
// why. The default reporter shows skipped tests only with --verbose, so a run that left out the
// OpenTelemetry JS 3.x line or the Python round trip would otherwise look complete.
const fs = require('node:fs');
const path = require('node:path');

/** Whether this Node line runs the 3.x SDK packages (their engines field: >= 22.15). */
function nodeRunsOtel3() {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  return major > 22 || (major === 22 && minor >= 15);
}

class SkippedSummary {
  /** @param {{ rootDir: string }} globalConfig */
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  /**
   * @param {unknown} _contexts
   * @param {{ testResults: { testFilePath: string, testResults: { status: string, fullName: string }[] }[] }} results
   */
  onRunComplete(_contexts, results) {
    const lines = [];
    const otel3Dir = path.join(this.rootDir, 'test/otel3');
    const ranOtel3 = results.testResults.some((r) => r.testFilePath.startsWith(otel3Dir + path.sep));
    const otel3Suites = fs.readdirSync(otel3Dir).filter((f) => f.endsWith('.test.ts')).length;
    // Only where the main config would have included the line: the heavy run never does.
    if (!ranOtel3 && results.testResults.some((r) => r.testFilePath.includes(`${path.sep}otel${path.sep}`))) {
      const why = nodeRunsOtel3()
        ? 'test/otel3 is not installed (npm test installs it: node scripts/test-deps.mjs)'
        : `its SDK packages need Node >= 22.15 and this is Node ${process.versions.node}; CI runs it on Node 22, 24 and 26`;
      lines.push(`- the OpenTelemetry JS 3.x line (${otel3Suites} suites in test/otel3): ${why}`);
    }
    for (const file of results.testResults) {
      for (const test of file.testResults) {
        if (test.status === 'pending' || test.status === 'skipped' || test.status === 'todo') {
          lines.push(`- ${path.relative(this.rootDir, file.testFilePath)}: ${test.fullName}`);
        }
      }
    }
    if (lines.length === 0) return;
    process.stderr.write(`\nNot run here (${lines.length}):\n${lines.join('\n')}\n`);
  }
}

module.exports = SkippedSummary;
