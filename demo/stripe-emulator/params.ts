// Stripe-shaped errors and the parameter checks that raise them, worded as Stripe words them so a
// caller's error handling is exercised the way the real API would exercise it.
import type { FormObject, FormValue } from './form';

export interface StripeErrorBody {
  type: 'invalid_request_error' | 'idempotency_error' | 'card_error' | 'api_error';
  message: string;
  code?: string;
  param?: string;
  decline_code?: string;
  doc_url?: string;
}

export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
  ) {
    super(body.message);
  }
}

const invalid = (param: string, message: string, code = 'parameter_invalid') =>
  new StripeApiError(400, { type: 'invalid_request_error', code, message, param });

export const errors = {
  missing: (param: string) => new StripeApiError(400, { type: 'invalid_request_error', code: 'parameter_missing', message: `Missing required param: ${param}.`, param }),
  unknown: (param: string) =>
    new StripeApiError(400, { type: 'invalid_request_error', code: 'parameter_unknown', message: `Received unknown parameter: ${param}`, param }),
  invalid,
  noSuch: (what: string, id: string, param?: string) =>
    new StripeApiError(param ? 400 : 404, {
      type: 'invalid_request_error',
      code: 'resource_missing',
      message: `No such ${what}: '${id}'`,
      ...(param ? { param } : {}),
    }),
  state: (message: string, code?: string) => new StripeApiError(400, { type: 'invalid_request_error', message, ...(code ? { code } : {}) }),
};

/** Refuses any key of `params` not in `allowed`, naming it as Stripe does (`line_items[0][foo]`). */
export function only(params: FormObject, allowed: readonly string[], prefix = ''): void {
  for (const key of Object.keys(params)) {
    if (!allowed.includes(key)) throw errors.unknown(prefix ? `${prefix}[${key}]` : key);
  }
}

export function string(params: FormObject, key: string, options: { required?: boolean; max?: number; name?: string } = {}): string | undefined {
  const name = options.name ?? key;
  const value = params[key];
  if (value === undefined || value === '') {
    if (options.required) throw errors.missing(name);
    return undefined;
  }
  if (typeof value !== 'string') throw invalid(name, `Invalid string: ${name} must be a string.`, 'parameter_invalid_string');
  if (value.length > (options.max ?? 5000)) throw invalid(name, `Invalid string: ${name} must be at most ${options.max ?? 5000} characters.`, 'parameter_invalid_string');
  return value;
}

export function integer(params: FormObject, key: string, options: { required?: boolean; min?: number; max?: number; name?: string } = {}): number | undefined {
  const name = options.name ?? key;
  const raw = params[key];
  if (raw === undefined || raw === '') {
    if (options.required) throw errors.missing(name);
    return undefined;
  }
  if (typeof raw !== 'string' || !/^-?\d{1,15}$/.test(raw)) throw invalid(name, `Invalid integer: ${typeof raw === 'string' ? raw : name}`, 'parameter_invalid_integer');
  const value = Number(raw);
  if (options.min !== undefined && value < options.min) throw invalid(name, `This value must be greater than or equal to ${options.min}.`);
  if (options.max !== undefined && value > options.max) throw invalid(name, `This value must be less than or equal to ${options.max}.`);
  return value;
}

export function hash(params: FormObject, key: string, name = key): FormObject | undefined {
  const value = params[key];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid(name, `Invalid object: ${name} must be a hash.`, 'parameter_invalid_object');
  return value;
}

export function array(params: FormObject, key: string, name = key): FormValue[] | undefined {
  const value = params[key];
  if (value === undefined || value === '') return undefined;
  if (!Array.isArray(value)) throw invalid(name, `Invalid array: ${name} must be an array.`, 'parameter_invalid_array');
  return value;
}

export function oneOf<T extends string>(params: FormObject, key: string, values: readonly T[], options: { required?: boolean; name?: string } = {}): T | undefined {
  const value = string(params, key, options);
  if (value === undefined) return undefined;
  if (!values.includes(value as T)) throw invalid(options.name ?? key, `Invalid ${options.name ?? key}: must be one of ${values.join(', ')}`);
  return value as T;
}

/** Stripe's metadata rules: at most 50 keys, keys up to 40 characters, values up to 500. */
export function metadata(params: FormObject, key = 'metadata', name = key): Record<string, string> | undefined {
  const value = hash(params, key, name);
  if (!value) return undefined;
  const entries = Object.entries(value);
  if (entries.length > 50) throw invalid(name, 'Metadata can have at most 50 keys.');
  const out: Record<string, string> = {};
  for (const [k, v] of entries) {
    if (k.length > 40) throw invalid(`${name}[${k}]`, 'Metadata keys can be at most 40 characters long.');
    if (typeof v !== 'string') throw invalid(`${name}[${k}]`, 'Metadata values must be strings.');
    if (v.length > 500) throw invalid(`${name}[${k}]`, 'Metadata values can be at most 500 characters long.');
    if (v !== '') out[k] = v;
  }
  return out;
}

/** `expand[0]=payment_method` → ['payment_method']. */
export function expansions(params: FormObject): string[] {
  const list = array(params, 'expand');
  if (!list) return [];
  return list.map((v, i) => {
    if (typeof v !== 'string') throw invalid(`expand[${i}]`, 'Invalid expand value.');
    return v;
  });
}

export function url(params: FormObject, key: string, options: { required?: boolean } = {}): string | undefined {
  const value = string(params, key, { ...options, max: 5000 });
  if (value === undefined) return undefined;
  // `{CHECKOUT_SESSION_ID}` is a template; the rest must be an absolute http(s) URL.
  let parsed: URL | undefined;
  try {
    parsed = new URL(value.replace(/\{CHECKOUT_SESSION_ID\}/g, 'cs_placeholder'));
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) throw invalid(key, 'Not a valid URL', 'url_invalid');
  return value;
}
