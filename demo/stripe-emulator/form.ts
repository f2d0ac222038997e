// Stripe's form encoding, as the `stripe` SDK writes it: `metadata[foo]=bar`,
// `line_items[0][price_data][unit_amount]=1200`, `expand[0]=payment_method` (also `expand[]=…`).
// Parsed into plain objects; an object whose keys are exactly 0..n-1 becomes an array.

export type FormValue = string | FormObject | FormValue[];
export interface FormObject {
  [key: string]: FormValue;
}

/** A body or query string that cannot be decoded; `param` names the offending key. */
export class FormError extends Error {
  constructor(
    message: string,
    readonly param?: string,
  ) {
    super(message);
  }
}

const MAX_DEPTH = 10;
const MAX_PAIRS = 2000;
/** Keys that would reach Object.prototype if a parser were careless. */
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

type Node = Record<string, unknown>;

function decode(part: string, key: string): string {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    throw new FormError(`Invalid URL encoding in ${key || 'the request'}.`, key || undefined);
  }
}

/** `line_items[0][price_data]` → ['line_items', '0', 'price_data']; `expand[]` → ['expand', '']. */
function pathOf(key: string): string[] {
  const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
  if (!match) throw new FormError(`Invalid parameter name: ${key}`, key);
  const path = [match[1]!, ...[...match[2]!.matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1]!)];
  if (path.length > MAX_DEPTH) throw new FormError(`Parameter nested too deeply: ${key}`, key);
  for (const segment of path) if (FORBIDDEN.has(segment)) throw new FormError(`Invalid parameter name: ${key}`, key);
  return path;
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null;
}

function assign(root: Node, path: string[], value: string, key: string): void {
  let node = root;
  for (let i = 0; i < path.length; i++) {
    // `[]` appends: the next index of this container.
    const segment = path[i] === '' ? String(Object.keys(node).length) : path[i]!;
    if (i === path.length - 1) {
      if (isNode(node[segment])) throw new FormError(`Invalid value for ${key}: a hash or array was expected.`, key);
      node[segment] = value;
      return;
    }
    const next = node[segment];
    if (next === undefined) {
      const child: Node = Object.create(null);
      node[segment] = child;
      node = child;
    } else if (isNode(next)) {
      node = next;
    } else {
      throw new FormError(`Invalid hash: ${key} (its parent was given a plain value).`, key);
    }
  }
}

/** Turns `{ 0: a, 1: b }` into `[a, b]` everywhere, and null-prototype nodes into plain objects. */
function finish(node: Node): FormObject | FormValue[] {
  const keys = Object.keys(node);
  const entries = keys.map((k) => [k, isNode(node[k]) ? finish(node[k] as Node) : (node[k] as string)] as const);
  const isArray = keys.length > 0 && keys.every((k, i) => k === String(i));
  if (isArray) return entries.map(([, v]) => v);
  const out: FormObject = {};
  for (const [k, v] of entries) out[k] = v;
  return out;
}

/** Parses `application/x-www-form-urlencoded` (request bodies and query strings alike). */
export function parseForm(body: string): FormObject {
  const root: Node = Object.create(null);
  const pairs = body.split('&').filter((p) => p.length > 0);
  if (pairs.length > MAX_PAIRS) throw new FormError(`Too many parameters (at most ${MAX_PAIRS}).`);
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const key = decode(eq < 0 ? pair : pair.slice(0, eq), '');
    const value = decode(eq < 0 ? '' : pair.slice(eq + 1), key);
    assign(root, pathOf(key), value, key);
  }
  const parsed = finish(root);
  // The top level is always a hash, even when its keys happen to be 0..n-1.
  return Array.isArray(parsed) ? Object.fromEntries(parsed.map((v, i) => [String(i), v])) : parsed;
}

/** Stable JSON of parsed params (sorted keys): what idempotent requests are compared by. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isNode(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
