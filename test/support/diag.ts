import { DiagLogLevel, diag } from '@opentelemetry/api';
import type { DiagLogger } from '@opentelemetry/api';

/**
 * Installs a diag logger that keeps every warning and error message, and returns the list it fills.
 * Tests call `diag.disable()` afterwards.
 */
export function recordingDiag(): string[] {
  const lines: string[] = [];
  const logger: DiagLogger = {
    error: (m) => lines.push(m),
    warn: (m) => lines.push(m),
    info: () => undefined,
    debug: () => undefined,
    verbose: () => undefined,
  };
  diag.setLogger(logger, DiagLogLevel.WARN);
  return lines;
}
