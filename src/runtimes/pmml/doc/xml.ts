/**
 * A small, safe XML tree for PMML: saxes (a conforming, non-validating SAX parser) turns the text
 * into elements that keep their start line, so every load error can say where it is. Namespace
 * prefixes are dropped (PMML lives in one namespace per version) and DOCTYPEs are refused: PMML
 * needs none, and refusing them rules out entity tricks. Nothing in the file is ever evaluated.
 */
import { SaxesParser } from 'saxes';
import { PmmlError } from './errors.ts';

/** One element: local name, attributes, child elements, concatenated text, 1-based start line. */
export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
  readonly line: number;
}

function localName(qname: string): string {
  const i = qname.indexOf(':');
  return i < 0 ? qname : qname.slice(i + 1);
}

/** Parses XML text into its root element; malformed XML throws a PmmlError with the line. */
export function parseXml(text: string): XmlElement {
  const parser = new SaxesParser({ position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let failure: PmmlError | undefined;
  parser.on('error', (err) => {
    failure ??= new PmmlError(`malformed XML: ${err.message}`);
  });
  parser.on('doctype', () => {
    failure ??= new PmmlError(`a DOCTYPE at line ${parser.line} is not allowed in PMML`);
  });
  parser.on('opentag', (tag) => {
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(tag.attributes)) {
      if (typeof v === 'string' && !k.startsWith('xmlns')) attrs[localName(k)] = v;
    }
    const el: XmlElement = { name: localName(tag.name), attrs, children: [], text: '', line: parser.line };
    const parent = stack.at(-1);
    if (parent) parent.children.push(el);
    else root = el;
    stack.push(el);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  const onText = (t: string): void => {
    const top = stack.at(-1);
    if (top) top.text += t;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  try {
    parser.write(text).close();
  } catch (err) {
    failure ??= new PmmlError(`malformed XML: ${(err as Error).message}`);
  }
  if (failure) throw failure;
  if (!root) throw new PmmlError('the file holds no XML element');
  return root;
}
