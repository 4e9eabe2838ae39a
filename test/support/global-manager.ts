import { context, diag } from '@opentelemetry/api';
import { ContextVarsContextManager } from '../../src/index';

/**
 * Registers a ContextVarsContextManager for the whole test file (unregistered after it) and
 * removes any diag logger a test installed after each test.
 */
export function withGlobalManager(): void {
  beforeAll(() => {
    context.setGlobalContextManager(new ContextVarsContextManager());
  });
  afterAll(() => {
    context.disable();
  });
  afterEach(() => {
    diag.disable();
  });
}
