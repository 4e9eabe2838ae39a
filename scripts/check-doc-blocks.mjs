// Type-checks every ```ts block of README.md and docs/ under `strict`, each block as its own
// ES module, so a snippet a user copies compiles as shown. The blocks are written under
// test/otel3/scratch, so packages resolve as Node would from there: first the OpenTelemetry JS
// 3.x line of test/otel3 (the line the docs show), then the root's devDependencies;
// `otel-contextvars` is src/ and `@opentelemetry/api` the 3.x line's 1.10, as in that project.
//
// A block that continues an earlier one (uses its vars or an `app`) names what it needs in an
// HTML comment right above its fence, `<!-- declare: const app: import('express').Express; -->`,
// which is prepended to it; the reader sees the block, the compiler sees both.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const OUT = path.join(ROOT, 'test/otel3/scratch/doc-blocks');

function markdownFiles() {
  const docs = fs
    .readdirSync(path.join(ROOT, 'docs'), { recursive: true })
    .filter((f) => f.endsWith('.md') && !f.startsWith('api'))
    .map((f) => path.join('docs', f));
  return ['README.md', ...docs.sort()];
}

// A ```js block whose first line is `// name.mjs` (or .cjs, .js) is written under that name and
// checked too (checkJs), so a TypeScript block can import it as the docs tell users to.
const NAMED_JS = /^```js\n\/\/ ([\w.-]+\.[cm]?js)\n([\s\S]*?)^```$/gm;
const FENCE = /^(?:<!-- declare: ([\s\S]*?) -->\n)?```ts\n([\s\S]*?)^```$/gm;

fs.rmSync(OUT, { recursive: true, force: true });
fs.mkdirSync(OUT, { recursive: true });
const blocks = [];
for (const file of markdownFiles()) {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  for (const match of text.matchAll(FENCE)) {
    const [, declare = '', code = ''] = match;
    const fenceLine = text.slice(0, match.index).split('\n').length + (declare ? 1 : 0);
    const name = `${file.replaceAll('/', '_')}_L${fenceLine}.ts`;
    // `export {}` keeps each block a module: names in one block never clash with another's.
    fs.writeFileSync(path.join(OUT, name), `${declare}\n${code}\nexport {};\n`);
    blocks.push(name);
  }
  for (const [, name = '', code = ''] of text.matchAll(NAMED_JS)) {
    fs.writeFileSync(path.join(OUT, name), `// ${name}\n${code}`);
    blocks.push(name);
  }
}

// The three packages the platform docs use whose types live only in the consumer projects that run
// them for real (consumers/next, consumers/workerd): the members the docs call, declared here with
// the shapes those packages document, so the rest of each block is still checked.
const SHIMS = `
declare module '@vercel/otel' {
  export function registerOTel(options: { serviceName: string; contextManager?: unknown; spanProcessors?: unknown[] }): void;
}
declare module 'next/server' {
  export class NextRequest extends Request {}
  export class NextResponse extends Response {
    static next(init?: { request?: { headers?: Headers } }): NextResponse;
  }
}
declare module '@microlabs/otel-cf-workers' {
  export class BatchTraceSpanProcessor {
    constructor(exporter: unknown);
  }
  export function instrument<H>(handler: H, config: { service: { name: string }; spanProcessors?: unknown[] }): H;
}
`;
fs.writeFileSync(path.join(OUT, 'package-shims.d.ts'), SHIMS);
blocks.push('package-shims.d.ts');

const rel = (p) => path.relative(OUT, path.join(ROOT, p)).replaceAll(path.sep, '/');
fs.writeFileSync(path.join(OUT, 'package.json'), JSON.stringify({ type: 'module' }));
fs.writeFileSync(
  path.join(OUT, 'tsconfig.json'),
  JSON.stringify(
    {
      compilerOptions: {
        target: 'es2022',
        lib: ['es2023', 'esnext.disposable', 'dom'],
        module: 'nodenext',
        moduleResolution: 'nodenext',
        strict: true,
        allowJs: true,
        checkJs: true,
        esModuleInterop: true,
        skipLibCheck: true,
        noEmit: true,
        experimentalDecorators: true,
        emitDecoratorMetadata: true,
        types: ['node'],
        typeRoots: [rel('node_modules/@types')],
        paths: {
          'otel-contextvars': [rel('src/index.ts')],
          '@opentelemetry/api': [rel('test/otel3/node_modules/@opentelemetry/api')],
        },
      },
      files: blocks,
    },
    null,
    2,
  ),
);
try {
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', OUT], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
} catch (error) {
  // Each file is named after its Markdown file and the line of its fence (README.md_L40.ts).
  process.stderr.write(`${error.stdout}${error.stderr}`);
  process.stderr.write('check-doc-blocks: a TypeScript block in README.md or docs/ does not compile (above)\n');
  process.exit(1);
}
// Left in place on failure, to read; removed on success.
fs.rmSync(OUT, { recursive: true, force: true });
console.log(`check-doc-blocks: ${blocks.length} TypeScript blocks compile under strict`);
