// One handler for both runtimes' routes. It records what the var holds before this request sets
// it (never another request's value, nor the proxy's), sets it to the request's own id, then reads
// it back after timers of random length (so the 50 concurrent requests interleave) and inside a
// child span, whose `contextvar.rid` attribute the span processor takes from the var. A timer
// started before the set tells which semantics the runtime's engine gives: on Node's engines it
// never sees a later set; on the run-scoped engine (only AsyncLocalStorage.run works) it does.
import { trace } from '@opentelemetry/api';
import { rid } from './rid';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function handle(request: Request, runtime: string): Promise<Response> {
  const mine = new URL(request.url).searchParams.get('rid') ?? '';
  const before = rid.get('unset');
  const scheduledBefore = new Promise<string>((resolve) => setTimeout(() => resolve(rid.get('unset')), 5));
  let setError: string | null = null;
  try {
    rid.set(mine);
  } catch (error) {
    setError = String(error);
  }
  const seen: string[] = [];
  await sleep(Math.random() * 20);
  seen.push(rid.get('unset'));
  await trace.getTracer('consumer-next').startActiveSpan(`work ${runtime}`, async (span) => {
    span.setAttribute('request.rid', mine);
    await sleep(Math.random() * 20);
    seen.push(rid.get('unset'));
    span.end();
  });
  seen.push(rid.get('unset'));
  return Response.json({
    rid: mine,
    runtime: process.env.NEXT_RUNTIME ?? 'unknown',
    before,
    seen,
    setError,
    proxyHeader: request.headers.get('x-proxy-rid'),
    scheduledBefore: await scheduledBefore,
  });
}
