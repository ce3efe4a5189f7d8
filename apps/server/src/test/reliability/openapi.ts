import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface Operation {
  method: string;
  /** OpenAPI form: /api/tickets/{id}. */
  path: string;
  op: {
    parameters?: { name: string; in: string; required?: boolean; schema?: any }[];
    requestBody?: { content?: Record<string, { schema?: any }> };
    security?: unknown[];
  };
}

/** Every operation of an OpenAPI document under /api/. */
export function operationsOf(doc: any): Operation[] {
  const out: Operation[] = [];
  for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
    if (!path.startsWith('/api/')) continue;
    for (const [method, op] of Object.entries(ops)) {
      if (['get', 'post', 'put', 'patch', 'delete'].includes(method)) out.push({ method: method.toUpperCase(), path, op });
    }
  }
  return out;
}

/** Fastify's `:id` form to OpenAPI's `{id}`; a query suffix (`?projectId`) dropped. */
export const toOpenApiPath = (p: string): string => p.split('?')[0]!.replace(/:([A-Za-z]+)/g, '{$1}');

/**
 * The `METHOD path` pairs the access-matrix cases declare, read from every *.access.test.ts
 * under src (the cases are `{ method: 'GET', path: '/api/…', … }` literals).
 */
export function accessMatrixPaths(srcDir: string): { key: string; file: string }[] {
  const out: { key: string; file: string }[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.access.test.ts')) {
        const text = readFileSync(p, 'utf8');
        for (const m of text.matchAll(/method:\s*'(GET|POST|PUT|PATCH|DELETE)',\s*path:\s*'([^']+)'/g)) {
          out.push({ key: `${m[1]} ${toOpenApiPath(m[2]!)}`, file: relative(srcDir, p) });
        }
      }
    }
  };
  walk(srcDir);
  return out;
}

/** Fills `{param}` with a value per name. */
export const fillPath = (path: string, value: (name: string) => string): string => path.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(value(name)));
