/**
 * JSON parsing that keeps integers beyond 2^53 exact. `JSON.parse` turns 9223372036854775807
 * into 9223372036854775808; OIP INT64/UINT64 data must survive. The native parser is used unless
 * the text holds an integer literal of 16 or more digits (the only ones that can be unsafe:
 * 2^53 = 9007199254740992 has 16), in which case a small parser returns such integers as `bigint`.
 *
 * The small parser keeps its open containers on an explicit stack rather than recursing, so it
 * accepts any nesting depth `JSON.parse` accepts instead of overflowing the call stack. It also
 * runs when `JSON.parse` fails, because V8's messages do not always give a position
 * (`Unexpected token '}', "{"a":}" is not valid JSON`) and ours always do.
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
      // The small parser accepts the same grammar, so it throws too, with a position.
      new LosslessParser(text).parseDocument();
      throw invalidRequest(`request body: invalid JSON (${(err as Error).message})`);
    }
  }
  return new LosslessParser(text).parseDocument();
}

/** An open array, or an open object with the key whose value comes next. */
type Frame = { arr: unknown[] } | { obj: Record<string, unknown>; key: string };

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

class LosslessParser {
  private i = 0;
  constructor(private readonly s: string) {}

  parseDocument(): unknown {
    const s = this.s;
    const stack: Frame[] = [];
    for (;;) {
      // A value starts here: open a container (and go on to its first value) or read a scalar.
      this.ws();
      let v: unknown;
      const c = s[this.i];
      if (c === '[') {
        this.i++;
        this.ws();
        if (s[this.i] !== ']') {
          stack.push({ arr: [] });
          continue;
        }
        this.i++;
        v = [];
      } else if (c === '{') {
        this.i++;
        this.ws();
        if (s[this.i] !== '}') {
          stack.push({ obj: {}, key: this.key() });
          continue;
        }
        this.i++;
        v = {};
      } else {
        v = this.scalar(c);
      }
      // Put the value in its container; close every container that ends right after it.
      for (;;) {
        const top = stack[stack.length - 1];
        if (top === undefined) {
          this.ws();
          if (this.i !== s.length) this.fail('unexpected text after the JSON value');
          return v;
        }
        if ('arr' in top) top.arr.push(v);
        // defineProperty: a "__proto__" key becomes an own property, as with JSON.parse.
        else Object.defineProperty(top.obj, top.key, { value: v, enumerable: true, writable: true, configurable: true });
        this.ws();
        const close = 'arr' in top ? ']' : '}';
        const d = s[this.i];
        if (d === close) {
          this.i++;
          stack.pop();
          v = 'arr' in top ? top.arr : top.obj;
          continue;
        }
        if (d !== ',') this.fail(`expected ',' or '${close}'`);
        this.i++;
        if ('key' in top) top.key = this.key();
        break;
      }
    }
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

  /** An object key and the ':' after it. */
  private key(): string {
    this.ws();
    if (this.s[this.i] !== '"') this.fail('expected a string key');
    const k = this.string();
    this.ws();
    if (this.s[this.i] !== ':') this.fail("expected ':'");
    this.i++;
    return k;
  }

  private scalar(c: string | undefined): unknown {
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
      this.i = start;
      return this.fail('bad string');
    }
  }

  private number(): number | bigint {
    NUMBER.lastIndex = this.i;
    const r = NUMBER.exec(this.s);
    if (!r) return this.fail('bad number');
    this.i = NUMBER.lastIndex;
    const text = r[0];
    if (r[1] === undefined && r[2] === undefined) {
      const n = Number(text);
      if (!Number.isSafeInteger(n)) return BigInt(text);
      return n;
    }
    return Number(text);
  }
}
