import { createHmac } from 'node:crypto';
import { isErased, type MaskKind } from './declaration.js';

/** Field-level ciphertext (kernel crypto, ADR 0010). */
const SEALED_PREFIX = 'enc:v1:';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();
const DIGITS = '0123456789';
const FIRST = [
  'Asha',
  'Nimal',
  'Kamala',
  'Ruwan',
  'Dilani',
  'Sunil',
  'Priya',
  'Chamara',
  'Tharu',
  'Kasun',
  'Malini',
  'Roshan',
  'Ishara',
  'Lahiru',
  'Sanduni',
  'Nuwan',
];
const LAST = [
  'Perera',
  'Silva',
  'Fernando',
  'Jayasinghe',
  'Bandara',
  'Wickrama',
  'Gunawardena',
  'Rajapaksha',
  'Herath',
  'Dissanayake',
  'Senanayake',
  'Karunaratne',
];

/**
 * Deterministic, format-preserving fakes: the same value under the same key always gives the
 * same fake (so a user id masked in two tables, or two services, still joins), and a different
 * key gives unrelated fakes (the key is what keeps the mapping from being rebuilt by guessing).
 */
export class Masker {
  constructor(private readonly key: string) {}

  private digest(kind: string, value: string): Buffer {
    return createHmac('sha256', this.key).update(kind).update('\0').update(value).digest();
  }

  /** Letters stay letters (same case), digits stay digits, everything else stays; no character maps to itself. */
  shape(value: string): string {
    const bytes = this.stream('shape', value, value.length);
    let out = '';
    for (let i = 0; i < value.length; i++) {
      const ch = value[i]!;
      const b = bytes[i]!;
      out += shift(ch, LOWER, b) ?? shift(ch, UPPER, b) ?? shift(ch, DIGITS, b) ?? ch;
    }
    return out;
  }

  /** As many bytes as needed, from HMAC blocks chained by counter. */
  private stream(kind: string, value: string, length: number): Buffer {
    const blocks: Buffer[] = [];
    for (let i = 0; blocks.length * 32 < length; i++) blocks.push(this.digest(`${kind}#${i}`, value));
    return Buffer.concat(blocks);
  }

  name(value: string): string {
    const d = this.digest('name', value);
    const fake = `${FIRST[d[0]! % FIRST.length]} ${LAST[d[1]! % LAST.length]} ${d.readUInt16BE(2).toString(36)}`;
    return fake.length <= value.length || value.length >= 12 ? fake : this.shape(value);
  }

  email(value: string): string {
    const at = value.lastIndexOf('@');
    if (at < 0) return this.shape(value);
    const domain = value.slice(at + 1);
    const dot = domain.lastIndexOf('.');
    const host = dot < 0 ? domain : domain.slice(0, dot);
    const tld = dot < 0 ? '' : domain.slice(dot);
    return `${this.shape(value.slice(0, at))}@${this.shape(host)}${tld}`;
  }

  ip(value: string): string {
    const d = this.digest('ip', value);
    if (value.includes(':')) return `fd00::${d.readUInt16BE(0).toString(16)}:${d.readUInt16BE(2).toString(16)}`;
    return `10.${d[0]}.${d[1]}.${(d[2]! % 254) + 1}`;
  }

  userAgent(value: string): string {
    return `masked-agent/${this.digest('ua', value).toString('hex').slice(0, 8)}`;
  }

  /** A version-4-shaped UUID (a uuid column only takes one). */
  uuid(value: string): string {
    const h = this.digest('uuid', value).toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  text(value: string): string {
    return this.shape(value);
  }

  /**
   * A fake for an encrypted value (`enc:v1:…`): its plaintext is unknown here, and the copy
   * will not hold the production keys anyway, so the fake is plaintext of the declared kind,
   * which the service encrypts under its own keys at start-up.
   */
  private sealed(kind: MaskKind, value: string): string | null {
    const tag = this.digest('sealed', value).toString('hex').slice(0, 12);
    switch (kind) {
      case 'null':
        return null;
      case 'email':
        return `masked-${tag}@example.invalid`;
      case 'name':
        return this.name(value);
      case 'phone':
        return `+94 ${tag.replace(/[a-f]/g, (ch) => String(ch.charCodeAt(0) % 10)).slice(0, 9)}`;
      default:
        return `masked-${tag}`;
    }
  }

  /** One value of a column by its declared kind; null and non-strings other than JSON pass through. */
  value(kind: MaskKind, value: string): string | null {
    if (value.startsWith(SEALED_PREFIX)) return this.sealed(kind, value);
    switch (kind) {
      case 'null':
        return null;
      case 'name':
        return this.name(value);
      case 'email':
        return this.email(value);
      case 'ip':
        return this.ip(value);
      case 'user_agent':
        return this.userAgent(value);
      case 'uuid':
        return this.uuid(value);
      case 'phone':
      case 'shape':
      case 'text':
        return this.shape(value);
    }
  }

  /** A JSON value with every string under one of `keys` (at any depth) masked by its shape. */
  json(input: unknown, keyList: readonly string[]): unknown {
    const keys = new Set(keyList);
    const walk = (node: unknown, personal: boolean): unknown => {
      if (typeof node === 'string') return personal ? this.shape(node) : node;
      if (Array.isArray(node)) return node.map((item) => walk(item, personal));
      if (node && typeof node === 'object') {
        return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, personal || keys.has(k))]));
      }
      return node;
    };
    return walk(input, false);
  }
}

function shift(ch: string, alphabet: string, byte: number): string | undefined {
  const at = alphabet.indexOf(ch);
  if (at < 0) return undefined;
  // 1..n-1 steps: never the character itself, so every letter or digit changes.
  return alphabet[(at + 1 + (byte % (alphabet.length - 1))) % alphabet.length];
}

/** Strings a JSON value holds under the given keys, at any depth. */
export function personalStrings(input: unknown, keys: readonly string[]): string[] {
  const wanted = new Set(keys);
  const found: string[] = [];
  const walk = (node: unknown, personal: boolean) => {
    if (typeof node === 'string') {
      if (personal) found.push(node);
    } else if (Array.isArray(node)) node.forEach((item) => walk(item, personal));
    else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) walk(v, personal || wanted.has(k));
  };
  walk(input, false);
  return found;
}

/** A JSON value with every string under one of `keys` (at any depth) replaced; `changed` says whether any was. */
export function redactKeys(input: unknown, keys: readonly string[], replacement: string | null): { value: unknown; changed: boolean } {
  const wanted = new Set(keys);
  let changed = false;
  const walk = (node: unknown, personal: boolean): unknown => {
    if (typeof node === 'string') {
      if (!personal || node === replacement || isErased(node)) return node;
      changed = true;
      return replacement;
    }
    if (Array.isArray(node)) return node.map((item) => walk(item, personal));
    if (node && typeof node === 'object')
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, personal || wanted.has(k))]));
    return node;
  };
  const value = walk(input, false);
  return { value, changed };
}
