/**
 * JSON parsing that keeps integers beyond 2^53 exact. `JSON.parse` turns 9223372036854775807
 * into 9223372036854775808; OIP INT64/UINT64 data must survive. The native parser is used unless
 * the text holds an integer literal of 16 or more digits (the only ones that can be unsafe), in
 * which case a small recursive-descent parser returns such integers as `bigint`.
 */
import { invalidRequest } from '../core/errors.ts';

/** An integer literal of ≥16 digits: not after a digit, '.', 'e' or sign; not before '.', 'e'. */
const BIG_INT_LITERAL = /(?:^|[^\d.eE+-])-?\d{16,}(?![\d.eE])/;

/** Parses JSON text; integers that are not safe come back as bigint. Throws INVALID_INPUT. */
export function parseJson(text: string): unknown {
  if (!BIG_INT_LITERAL.test(text)) {
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw invalidRequest(`request body: invalid JSON (${(err as Error).message})`);
    }
  }
  return new LosslessParser(text).parseDocument();
}

class LosslessParser {
  private i = 0;
  constructor(private readonly s: string) {}

  parseDocument(): unknown {
    const v = this.value();
    this.ws();
    if (this.i !== this.s.length) this.fail('unexpected text after the JSON value');
    return v;
  }

  private fail(what: string): never {
    throw invalidRequest(`request body: invalid JSON (${what} at position ${this.i})`);
  }

  private ws(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c === 32 || c === 10 || c === 13 || c === 9) this.i++;
      else break;
    }
  }

  private value(): unknown {
    this.ws();
    const c = this.s[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c === 't') return this.literal('true', true);
    if (c === 'f') return this.literal('false', false);
    if (c === 'n') return this.literal('null', null);
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
    return this.fail(c === undefined ? 'unexpected end' : `unexpected character ${JSON.stringify(c)}`);
  }

  private literal(word: string, v: unknown): unknown {
    if (!this.s.startsWith(word, this.i)) this.fail(`expected ${word}`);
    this.i += word.length;
    return v;
  }

  private object(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.i++;
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.fail('expected a string key');
      const k = this.string();
      this.ws();
      if (this.s[this.i] !== ':') this.fail("expected ':'");
      this.i++;
      Object.defineProperty(out, k, { value: this.value(), enumerable: true, writable: true, configurable: true });
      this.ws();
      const c = this.s[this.i++];
      if (c === '}') return out;
      if (c !== ',') this.fail("expected ',' or '}'");
    }
  }

  private array(): unknown[] {
    const out: unknown[] = [];
    this.i++;
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.ws();
      const c = this.s[this.i++];
      if (c === ']') return out;
      if (c !== ',') this.fail("expected ',' or ']'");
    }
  }

  private string(): string {
    const start = this.i;
    this.i++;
    const s = this.s;
    for (;;) {
      const c = s.charCodeAt(this.i);
      if (Number.isNaN(c)) this.fail('unterminated string');
      if (c === 92) this.i += 2;
      else if (c === 34) break;
      else this.i++;
    }
    this.i++;
    try {
      return JSON.parse(s.slice(start, this.i)) as string;
    } catch {
      return this.fail('bad string');
    }
  }

  private number(): number | bigint {
    const m = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
    m.lastIndex = this.i;
    const r = m.exec(this.s);
    if (!r) return this.fail('bad number');
    this.i = m.lastIndex;
    const text = r[0];
    if (r[1] === undefined && r[2] === undefined) {
      const n = Number(text);
      if (!Number.isSafeInteger(n)) return BigInt(text);
      return n;
    }
    return Number(text);
  }
}
