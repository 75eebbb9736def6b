import fc from 'fast-check';
import { admits, jsonType, mainBranch, plausible, typesOf, type JsonSchema, type Operation, type Parameter } from './openapi.js';

/**
 * Malformed requests for one operation, drawn from its OpenAPI description.
 *
 * Each request breaks one part (the "mutation") and keeps the rest plausible, so the broken part
 * travels as far into the service as it can. Writes (POST/PUT/PATCH/DELETE) only ever get a
 * mutation the service must refuse — a wrong type, a missing field, a NUL, a non-finite number,
 * unparseable JSON — so any row that changes during the run is a refusal that changed data.
 * Reads also get the merely odd (control characters, lone surrogates, huge strings, extra
 * parameters), which a service may answer either way as long as it never answers 5xx.
 */
export interface Draft {
  method: string;
  /** Path and query exactly as sent: already percent-encoded (the bytes an attacker picks). */
  path: string;
  /** Extra headers, values as Latin-1 bytes. */
  headers: Record<string, string>;
  body?: string;
  /** Human-readable: which part is broken and how. */
  mutation: string;
}

interface Nasty {
  text: string;
  label: string;
  /** A service must refuse it wherever it appears. */
  nul?: boolean;
  /** Not a finite number: a numeric parameter must refuse it. */
  notNumber?: boolean;
  /** Not an integer: an integer parameter must refuse it. */
  notInteger?: boolean;
}

const NASTY: Nasty[] = [
  { text: '%00', label: 'NUL', nul: true, notNumber: true, notInteger: true },
  { text: 'fz%00fz', label: 'NUL inside', nul: true, notNumber: true, notInteger: true },
  { text: '%C0%80', label: 'overlong NUL', notNumber: true, notInteger: true },
  { text: '%01%02%1B%7F', label: 'control characters', notNumber: true, notInteger: true },
  { text: '%ED%A0%80', label: 'lone high surrogate', notNumber: true, notInteger: true },
  { text: '%ED%B2%A9', label: 'lone low surrogate', notNumber: true, notInteger: true },
  { text: '%FF%FE%FD', label: 'invalid UTF-8', notNumber: true, notInteger: true },
  { text: '%E2%80%AEfz', label: 'right-to-left override', notNumber: true, notInteger: true },
  { text: '', label: 'empty', notNumber: true, notInteger: true },
  { text: '1e309', label: '1e309', notNumber: true, notInteger: true },
  { text: '-1e309', label: '-1e309', notNumber: true, notInteger: true },
  { text: 'Infinity', label: 'Infinity', notNumber: true, notInteger: true },
  { text: 'NaN', label: 'NaN', notNumber: true, notInteger: true },
  // Hexadecimal is a number to the validator's coercion (0x1F = 31): odd, but not a defect to assert.
  { text: '0x1F', label: 'hex' },
  { text: '1.5', label: 'fraction', notInteger: true },
  { text: '-1', label: 'negative' },
  { text: '9'.repeat(40), label: 'huge number' },
  { text: 'A'.repeat(10_000), label: 'huge string (10k)', notNumber: true, notInteger: true },
  { text: "'%3B%20DROP%20TABLE%20fz%3B--", label: 'SQL', notNumber: true, notInteger: true },
  { text: '%', label: 'bad escape', notNumber: true, notInteger: true },
  { text: '..%2F..%2Fetc%2Fpasswd', label: 'traversal', notNumber: true, notInteger: true },
];

const DEEP = 5_000;
const deepArray = `${'['.repeat(DEEP)}${']'.repeat(DEEP)}`;
const deepObject = `${'{"a":'.repeat(DEEP)}1${'}'.repeat(DEEP)}`;

const MALFORMED_JSON: Array<{ text: string; label: string }> = [
  { text: '{"a":', label: 'truncated JSON' },
  { text: "{'a':1}", label: 'single quotes' },
  { text: '{"a":1}}', label: 'trailing brace' },
  { text: '\u0000', label: 'NUL body' },
  { text: '{"a":NaN}', label: 'NaN literal' },
  { text: '{"a":Infinity}', label: 'Infinity literal' },
  { text: '\ufeff{}x', label: 'BOM and junk' },
  { text: '{"__proto__":{"admin":true}}', label: '__proto__' },
  { text: '{"constructor":{"prototype":{"admin":true}}}', label: 'constructor.prototype' },
  { text: `${'['.repeat(DEEP)}`, label: 'unclosed 5000-level array' },
];

const CONTENT_TYPES = [
  'text/plain',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'application/octet-stream',
  'image/png',
];

/** Odd headers any request may also carry (values are bytes; the server's HTTP parser sees them raw). */
const HEADER_NOISE: Array<{ headers: Record<string, string>; label: string }> = [
  { headers: { 'x-fuzz': '\x01\x7f' }, label: 'control characters in a header' },
  { headers: { 'x-fuzz': '\xed\xa0\x80' }, label: 'lone surrogate bytes in a header' },
  { headers: { 'x-request-id': '\xff\xfe' }, label: 'invalid request id' },
  { headers: { traceparent: '00-zz-zz-zz' }, label: 'bad traceparent' },
  { headers: { accept: 'application/xml' }, label: 'accept xml' },
  { headers: { 'x-forwarded-for': '999.1.1.1, %00' }, label: 'bad forwarded-for' },
  { headers: { 'x-tributary-roles': 'administrator', 'x-tributary-user': 'usr_admin' }, label: 'spoofed identity headers' },
];

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

export interface Target {
  operation: Operation;
  /** The path template as this target is called, e.g. `/api/v1/erp/customers/{name}`. */
  template: string;
}

export function draftArbitrary({ operation, template }: Target): fc.Arbitrary<Draft> {
  const write = operation.method !== 'GET';
  const params: Record<string, string> = {};
  for (const parameter of operation.parameters) if (parameter.required) params[parameter.name] = encodeParam(plausible(parameter.schema));
  const body = operation.body ? mainBranch(operation.body) : undefined;
  const baseBody = body ? (plausible(body) as Record<string, unknown>) : undefined;
  const objectBody = body !== undefined && (body.type === 'object' || body.properties !== undefined);

  const build = (parts: {
    params?: Record<string, string | undefined>;
    extraQuery?: string;
    body?: string;
    contentType?: string;
    method?: string;
    mutation: string;
  }): Draft => {
    const values = { ...params, ...parts.params };
    let path = template.replace(/\{([^}]+)\}/g, (_, name: string) => values[name] ?? '');
    const query = operation.parameters
      .filter((parameter) => parameter.in === 'query' && values[parameter.name] !== undefined)
      .map((parameter) => `${encodeURIComponent(parameter.name)}=${values[parameter.name]}`);
    if (parts.extraQuery) query.push(parts.extraQuery);
    if (query.length > 0) path += `?${query.join('&')}`;
    const draft: Draft = { method: parts.method ?? operation.method, path, headers: {}, mutation: parts.mutation };
    const sentBody = parts.body ?? (write && baseBody !== undefined ? JSON.stringify(baseBody) : undefined);
    if (sentBody !== undefined) {
      draft.body = sentBody;
      draft.headers['content-type'] = parts.contentType ?? 'application/json';
    }
    return draft;
  };
  const withField = (name: string, placeholder: unknown) => JSON.stringify({ ...baseBody, [name]: placeholder });

  const families: Array<fc.Arbitrary<Draft>> = [];

  // Parameters: every nasty value in every path and query parameter (writes: only those it must refuse).
  for (const parameter of operation.parameters) {
    const values = NASTY.filter((nasty) => !write || mustRefuse(parameter, nasty));
    if (values.length > 0) {
      families.push(
        fc
          .constantFrom(...values)
          .map((nasty) =>
            build({ params: { [parameter.name]: nasty.text }, mutation: `${parameter.in} ${parameter.name} = ${nasty.label}` }),
          ),
      );
    }
    if (parameter.in === 'query' && parameter.required)
      families.push(fc.constant(build({ params: { [parameter.name]: undefined }, mutation: `query ${parameter.name} missing` })));
    if (parameter.in === 'path')
      families.push(fc.constant(build({ params: { [parameter.name]: '' }, mutation: `path ${parameter.name} empty` })));
  }

  // Bodies the schema must refuse.
  if (body && objectBody && baseBody !== undefined) {
    const properties = Object.entries(body.properties ?? {});
    for (const name of body.required ?? []) {
      const { [name]: _dropped, ...rest } = baseBody;
      families.push(fc.constant(build({ body: JSON.stringify(rest), mutation: `body ${name} missing` })));
    }
    for (const [name, schema] of properties) {
      const allowed = typesOf(schema);
      const wrong = WRONG_VALUES.filter((value) => !admits(allowed, jsonType(value)) || violatesEnum(schema, value));
      if (allowed.size > 0 && wrong.length > 0) {
        families.push(
          fc
            .constantFrom(...wrong)
            .map((value) => build({ body: withField(name, value), mutation: `body ${name} = ${JSON.stringify(value)} (wrong type)` })),
        );
        families.push(
          fc.constant(
            build({ body: withField(name, '__DEEP__').replace('"__DEEP__"', deepArray), mutation: `body ${name} = 5000-level array` }),
          ),
        );
      }
      const branch = mainBranch(schema);
      if (allowed.has('string')) {
        families.push(
          fc
            .tuple(fc.constantFrom('\u0000', 'fz\u0000', '\u0000fz\u0000'), fc.constantFrom('', '\u0001\u001b', '\ud800', '\udfff'))
            .map(([nul, noise]) =>
              build({ body: withField(name, `${nul}${noise}`), mutation: `body ${name} = NUL${noise ? ' + control/surrogate' : ''}` }),
            ),
        );
        if (branch.maxLength !== undefined)
          families.push(
            fc.constant(
              build({
                body: withField(name, 'Z'.repeat(Math.max(branch.maxLength + 1, 200_000))),
                mutation: `body ${name} = 200k string over maxLength`,
              }),
            ),
          );
      }
      if ((allowed.has('number') || allowed.has('integer')) && !allowed.has('string')) {
        families.push(
          fc
            .constantFrom('1e309', '-1e309', '"Infinity"', '"NaN"', '""', '"1e309"')
            .map((literal) =>
              build({ body: withField(name, '__NUM__').replace('"__NUM__"', literal), mutation: `body ${name} = ${literal}` }),
            ),
        );
      }
    }
    families.push(
      fc
        .constantFrom(
          { text: '[]', label: 'array' },
          { text: '"fz"', label: 'string' },
          { text: '42', label: 'number' },
          { text: 'null', label: 'null' },
          { text: 'true', label: 'boolean' },
          { text: deepArray, label: '5000-level array' },
        )
        .map((shape) => build({ body: shape.text, mutation: `body is ${shape.label}` })),
    );
    families.push(
      fc
        .constantFrom(...CONTENT_TYPES)
        .map((type) => build({ body: JSON.stringify(baseBody), contentType: type, mutation: `content-type ${type}` })),
    );
    if (!(body.required ?? []).length && body.additionalProperties !== false) {
      // An object whose schema needs nothing: only a deep *non-object* is sure to be refused.
    } else {
      families.push(fc.constant(build({ body: deepObject, mutation: 'body is a 5000-level object' })));
    }
  }

  // Unparseable JSON: refused before any handler, with or without a body schema.
  families.push(
    fc.constantFrom(...MALFORMED_JSON).map((malformed) => build({ body: malformed.text, mutation: `body ${malformed.label}` })),
  );

  if (!write) {
    families.push(
      fc
        .constantFrom(
          'fz%00=1',
          '__proto__=x',
          'a[b]=c',
          'constructor[prototype][x]=1',
          `${operation.parameters.find((p) => p.in === 'query')?.name ?? 'x'}=1&${operation.parameters.find((p) => p.in === 'query')?.name ?? 'x'}=2`,
        )
        .map((extra) => build({ extraQuery: extra, mutation: `extra query ${extra}` })),
    );
    families.push(fc.constant(build({ body: JSON.stringify({ fz: 1 }), mutation: 'GET with a JSON body' })));
  }

  // A method the path does not have (catch-alls have them all). The body is unparseable, so even a
  // handler that did exist would refuse it.
  const others = METHODS.filter((method) => !operation.methodsOnPath.includes(method));
  if (!template.includes('{*}') && others.length > 0) {
    families.push(
      fc
        .constantFrom(...others)
        .map((method) => build({ method, body: method === 'GET' ? undefined : '{"a":', mutation: `wrong method ${method}` })),
    );
  }

  // The noise rides on any request; it never makes a refused request acceptable.
  return fc
    .tuple(fc.oneof(...families), fc.option(fc.constantFrom(...HEADER_NOISE), { freq: 4 }))
    .map(([draft, noise]) =>
      noise ? { ...draft, headers: { ...draft.headers, ...noise.headers }, mutation: `${draft.mutation}; ${noise.label}` } : draft,
    );
}

const WRONG_VALUES: unknown[] = ['fz', 7, 1.5, true, null, [], { fz: 1 }, -1];

function violatesEnum(schema: JsonSchema, value: unknown): boolean {
  const branch = mainBranch(schema);
  return branch.enum !== undefined && !branch.enum.includes(value) && value !== null && typeof value === typeof branch.enum[0];
}

function mustRefuse(parameter: Parameter, nasty: Nasty): boolean {
  if (nasty.nul) return true;
  const types = typesOf(parameter.schema);
  if (types.size === 0 || types.has('string')) return false;
  if (types.has('number')) return nasty.notNumber === true;
  if (types.has('integer')) return nasty.notInteger === true;
  return false;
}

function encodeParam(value: unknown): string {
  return encodeURIComponent(typeof value === 'string' ? value : JSON.stringify(value));
}
