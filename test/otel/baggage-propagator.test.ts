// ContextVarPropagator({ format: 'baggage' }) carries the vars as
// W3C Baggage entries and replaces OpenTelemetry's W3CBaggagePropagator in a composite. Checked
// against that propagator itself (@opentelemetry/core), both ways.
import { ROOT_CONTEXT, propagation } from '@opentelemetry/api';
import type { Context as OtelContext } from '@opentelemetry/api';
import {
  CompositePropagator,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
  suppressTracing,
} from '@opentelemetry/core';
import { ContextVar, ContextVarPropagator } from '../../src/index';
import { recordingDiag } from '../support/diag';
import { withGlobalManager } from '../support/global-manager';

const tenant = new ContextVar<string>('tenant');
const attempt = new ContextVar<number>('attempt');
const note = new ContextVar<string>('note');
const numberCodec = {
  encode: (n: number) => String(n),
  decode: (t: string) => {
    const n = Number(t);
    if (!Number.isInteger(n)) throw new Error(`not an integer: ${t}`);
    return n;
  },
};
const stock = new W3CBaggagePropagator();

function ours(): ContextVarPropagator {
  return new ContextVarPropagator({
    vars: [tenant, attempt, note],
    format: 'baggage',
    codecs: { attempt: numberCodec },
  });
}
function inject(
  p: { inject(c: OtelContext, carrier: unknown, setter: never): void },
  ctx: OtelContext,
): Record<string, string> {
  const carrier: Record<string, string> = {};
  p.inject(ctx, carrier, {
    set: (c: Record<string, string>, k: string, v: string) => {
      c[k] = v;
    },
  } as never);
  return carrier;
}
function extract(
  p: { extract(c: OtelContext, carrier: unknown, getter: never): OtelContext },
  carrier: Record<string, unknown>,
): OtelContext {
  return p.extract(ROOT_CONTEXT, carrier, {
    get: (c: Record<string, unknown>, k: string) => c[k],
    keys: (c: object) => Object.keys(c),
  } as never);
}
function entries(ctx: OtelContext): Record<string, string> {
  return Object.fromEntries((propagation.getBaggage(ctx)?.getAllEntries() ?? []).map(([k, e]) => [k, e.value]));
}

withGlobalManager();

test("inject writes the listed vars and the context's Baggage into one W3C baggage header", () => {
  let ctx = propagation.setBaggage(ROOT_CONTEXT, propagation.createBaggage({ 'session.kind': { value: 'web' } }));
  ctx = attempt.setIn(tenant.setIn(ctx, 'acme corp'), 3);
  expect(inject(ours(), ctx)).toEqual({ baggage: 'tenant=acme%20corp,attempt=3,session.kind=web' });
  expect(ours().fields()).toEqual(['baggage']);
});

test('W3CBaggagePropagator reads what inject wrote: the vars are ordinary Baggage entries', () => {
  const ctx = note.setIn(tenant.setIn(ROOT_CONTEXT, 'a,b=c;d %'), 'héllo');
  expect(entries(extract(stock, inject(ours(), ctx)))).toEqual({ tenant: 'a,b=c;d %', note: 'héllo' });
});

test('extract reads what W3CBaggagePropagator wrote: Baggage set as it sets it, listed vars bound through their codecs', () => {
  const sent = propagation.setBaggage(
    ROOT_CONTEXT,
    propagation.createBaggage({
      tenant: { value: 'acme corp' },
      attempt: { value: '4' },
      other: { value: 'x', metadata: undefined },
    }),
  );
  const carrier = inject(stock, sent);
  const got = extract(ours(), carrier);
  expect(tenant.getIn(got)).toBe('acme corp');
  expect(attempt.getIn(got)).toBe(4);
  expect(note.getIn(got, 'unset')).toBe('unset');
  expect(entries(got)).toEqual(entries(extract(stock, carrier)));
});

test('entry properties (metadata) survive a round trip, as with W3CBaggagePropagator', () => {
  const got = extract(ours(), { baggage: 'tenant=acme;ttl=30, other=1;a;b=c' });
  expect(propagation.getBaggage(got)?.getEntry('other')?.metadata?.toString()).toBe('a;b=c');
  expect(inject(ours(), got)).toEqual(inject(stock, extract(stock, { baggage: 'tenant=acme;ttl=30, other=1;a;b=c' })));
});

test('a bound var replaces a Baggage entry of its name; changing the var in this service changes what goes on', () => {
  const received = extract(ours(), { baggage: 'tenant=from-upstream,keep=1' });
  const changed = tenant.setIn(received, 'changed-here');
  expect(inject(ours(), changed)).toEqual({ baggage: 'tenant=changed-here,keep=1' });
});

test('a + is a plus, as W3C and OpenTelemetry JS read it; %20 is a space', () => {
  const got = extract(ours(), { baggage: 'tenant=two+words,note=two%20words' });
  expect([tenant.getIn(got), note.getIn(got)]).toEqual(['two+words', 'two words']);
  expect(entries(extract(stock, { baggage: 'tenant=two+words' }))).toEqual({ tenant: 'two+words' });
});

test('in a CompositePropagator it replaces W3CBaggagePropagator next to W3CTraceContextPropagator', () => {
  const composite = new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), ours()] });
  const carrier = {
    traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    baggage: 'tenant=acme,attempt=2,extra=yes',
  };
  const got = extract(composite, carrier);
  expect([tenant.getIn(got), attempt.getIn(got)]).toEqual(['acme', 2]);
  expect(inject(composite, got)).toEqual({ traceparent: carrier.traceparent, baggage: carrier.baggage });
});

test('malformed members are skipped and the rest kept; malformed input never throws', () => {
  const got = extract(ours(), { baggage: '=x,tenant,note=%E0%A4%A,=,tenant=ok;;, attempt=NaN , extra = 1 ' });
  expect(tenant.getIn(got)).toBe('ok');
  expect(note.getIn(got, 'unset')).toBe('unset');
  expect(attempt.getIn(got, 'unset')).toBe('unset'); // its codec refused it; the entry stays Baggage
  expect(entries(got)).toEqual({ tenant: 'ok', attempt: 'NaN', extra: '1' });
  for (const bad of [undefined, null, 42, {}, [1, 2], '', ',,,', ';;;', '%', 'a=%']) {
    expect(() => extract(ours(), { baggage: bad })).not.toThrow();
  }
  expect(extract(ours(), { baggage: '' })).toBe(ROOT_CONTEXT);
});

test("limits are W3CBaggagePropagator's: 180 entries, 4096 characters an entry, 8192 a header", () => {
  const lines = recordingDiag();
  const many = Array.from({ length: 300 }, (_, i) => `k${i}=v`).join(',');
  expect(Object.keys(entries(extract(ours(), { baggage: many })))).toHaveLength(180);
  expect(extract(ours(), { baggage: `tenant=${'x'.repeat(8200)}` })).toBe(ROOT_CONTEXT);
  expect(tenant.getIn(extract(ours(), { baggage: `tenant=${'x'.repeat(4100)},note=short` }), 'dropped')).toBe(
    'dropped',
  );
  const big = tenant.setIn(ROOT_CONTEXT, 'y'.repeat(5000));
  expect(inject(ours(), note.setIn(big, 'fits'))).toEqual({ baggage: 'note=fits' });
  expect(lines.filter((l) => l.includes("skipped 'tenant': W3C baggage allows 4096"))).toHaveLength(1);
  let full = ROOT_CONTEXT;
  full = propagation.setBaggage(
    full,
    propagation.createBaggage(
      Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${i}`, { value: 'v'.repeat(30) }])),
    ),
  );
  const header = inject(ours(), tenant.setIn(full, 'first')).baggage;
  expect(header.length).toBeLessThanOrEqual(8192);
  expect(header.startsWith('tenant=first,')).toBe(true);
  expect(header).toBe(inject(stock, full).baggage.replace(/^/, 'tenant=first,').slice(0, header.length));
});

test('a value with a lone surrogate is skipped and reported, the others still sent', () => {
  const lines = recordingDiag();
  expect(inject(ours(), note.setIn(tenant.setIn(ROOT_CONTEXT, 'bad \uD800'), 'fine'))).toEqual({
    baggage: 'note=fine',
  });
  expect(lines.filter((l) => l.includes("skipped 'tenant': its text has a lone surrogate"))).toHaveLength(1);
});

test('nothing is written under suppressTracing, as W3CBaggagePropagator does', () => {
  expect(inject(ours(), suppressTracing(tenant.setIn(ROOT_CONTEXT, 'acme')))).toEqual({});
});

test('options: var names must be baggage keys, header belongs to format header, format is checked', () => {
  expect(() => new ContextVarPropagator({ vars: [new ContextVar('has space')], format: 'baggage' })).toThrow(
    /not a W3C baggage key/,
  );
  expect(() => new ContextVarPropagator({ vars: [tenant], format: 'baggage', header: 'x-vars' })).toThrow(
    /header option is for format 'header'/,
  );
  expect(() => new ContextVarPropagator({ vars: [tenant], format: 'json' as never })).toThrow(
    /format must be 'header' or 'baggage'/,
  );
  expect(new ContextVarPropagator({ vars: [new ContextVar('has space')] }).fields()).toEqual(['contextvars']);
});
