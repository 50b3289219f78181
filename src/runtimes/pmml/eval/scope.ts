/**
 * Field lookup during one row's evaluation: prepared MiningSchema values first, then derived
 * fields (computed once, on first use), then the enclosing scope (a segment sees its parent's
 * fields). Derived fields are lazy because models usually read only some of them.
 */
import type { DefinedFunction, DerivedField, Value } from '../doc/types.ts';
import { evalExpression } from './expression.ts';
import { convert } from './values.ts';
import { invalidInput } from '../../../core/errors.ts';

export class FieldScope {
  private readonly values = new Map<string, Value>();
  private readonly derived: ReadonlyMap<string, DerivedField>;
  private readonly parent: FieldScope | undefined;
  private readonly computing = new Set<string>();

  private readonly functions: ReadonlyMap<string, DefinedFunction> | undefined;

  /** `functions`: the document's DefineFunctions (given to the root scope; children ask their parent). */
  constructor(derived: ReadonlyMap<string, DerivedField>, parent?: FieldScope, functions?: ReadonlyMap<string, DefinedFunction>) {
    this.functions = functions;
    this.derived = derived;
    this.parent = parent;
  }

  functionNamed(name: string): DefinedFunction | undefined {
    return this.functions?.get(name) ?? this.parent?.functionNamed(name);
  }

  set(name: string, v: Value): void {
    this.values.set(name, v);
  }

  has(name: string): boolean {
    return this.values.has(name) || this.derived.has(name) || (this.parent?.has(name) ?? false);
  }

  get(name: string): Value {
    const v = this.values.get(name);
    if (v !== undefined) return v;
    const d = this.derived.get(name);
    if (d) {
      // A cycle would recurse forever; the loader checks references, this is the last guard.
      if (this.computing.has(name)) throw invalidInput(`field ${name}`, 'a cyclic definition', 'an acyclic DerivedField');
      this.computing.add(name);
      try {
        const raw = evalExpression(d.expr, this);
        const out = convert(raw, d.dataType);
        const value = out === undefined ? null : out;
        this.values.set(name, value);
        return value;
      } finally {
        this.computing.delete(name);
      }
    }
    if (this.parent) return this.parent.get(name);
    return null;
  }
}
