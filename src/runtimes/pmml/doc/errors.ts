/**
 * Load-time errors of the PMML reader. They carry the element name and line so the model can
 * turn them into one `modelLoadFailed` message the user can act on.
 */
/** What a message needs of an element (xml.ts's XmlElement has it). */
interface Located {
  readonly name: string;
  readonly line: number;
}

/** A problem with the PMML document (malformed, invalid or unsupported). */
export class PmmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PmmlError';
  }
}

/** `<Name> at line N` — how every message points at the document. */
export function where(el: Located): string {
  return `<${el.name}> at line ${el.line}`;
}

/** The element (or a value of one of its attributes) is valid PMML that we do not evaluate yet. */
export function unsupported(el: Located, what?: string): PmmlError {
  const detail = what === undefined ? '' : ` (${what})`;
  return new PmmlError(`unsupported PMML element ${where(el)}${detail}`);
}

/** The element breaks the PMML schema or its own references. */
export function invalid(el: Located, reason: string): PmmlError {
  return new PmmlError(`invalid PMML ${where(el)}: ${reason}`);
}
