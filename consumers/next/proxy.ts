// Next.js runs the proxy (formerly middleware) as its own invocation, before the route and apart
// from it: a var set here is not seen by the route handler. It sets the var anyway (the check
// asserts the handler never sees it) and passes the value on the way that does reach the route:
// a request header, which the handler reads and sets the var from.
import { NextResponse } from 'next/server';
import type { NextRequest } from 'next/server';
import { rid } from './lib/rid';

export function proxy(request: NextRequest): NextResponse {
  const mine = request.nextUrl.searchParams.get('rid') ?? '';
  rid.set(`proxy-${mine}`);
  const headers = new Headers(request.headers);
  headers.set('x-proxy-rid', `proxy-${mine}`);
  return NextResponse.next({ request: { headers } });
}

export const config = { matcher: '/api/:path*' };
