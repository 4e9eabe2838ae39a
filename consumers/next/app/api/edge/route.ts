import { handle } from '../../../lib/handler';

export const runtime = 'edge';
export const dynamic = 'force-dynamic';

export function GET(request: Request): Promise<Response> {
  return handle(request, 'edge');
}
