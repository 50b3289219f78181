/**
 * Request bodies: read with a size limit (3 MiB, kube-apiserver's limit for a single object), then
 * decoded from JSON or YAML by Content-Type. Duplicate keys are reported with their paths
 * (`spec.predictor.model`) because strict field validation rejects them, while JSON.parse and YAML
 * loaders silently keep the last one.
 */
import type { IncomingMessage } from 'node:http';
import { isMap, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';
import { badRequest, tooLarge, unsupportedMediaType } from './errors.ts';
import { decodeProtobuf, PROTOBUF } from './protobuf.ts';

/** kube-apiserver's `MaxRequestBodyBytes` (3 MiB). */
export const DEFAULT_MAX_BODY_BYTES = 3 * 1024 * 1024;

/** A decoded body and the paths of keys that appeared more than once. */
export interface Decoded {
  value: unknown;
  duplicates: string[];
}

/** Reads the whole body; 413 as soon as it passes `limitBytes` (the rest is not buffered). */
export async function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limitBytes) {
    req.resume();
    throw tooLarge(limitBytes);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limitBytes) {
      req.resume();
      throw tooLarge(limitBytes);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The media type of a Content-Type header, lower case, without parameters. */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Decodes JSON, YAML when the media type says so (`application/yaml`, `application/apply-patch+yaml`), or a protobuf Namespace (./protobuf.ts). */
export function decodeBody(buf: Buffer, contentType: string | undefined): Decoded {
  const type = mediaType(contentType);
  if (type === PROTOBUF) return { value: decodeProtobuf(buf), duplicates: [] };
  if (type !== '' && !type.endsWith('json') && !type.endsWith('yaml')) throw unsupportedMediaType(['application/json', 'application/yaml']);
  const text = buf.toString('utf8');
  if (text.trim() === '') throw badRequest('the body of the request is empty; expected a JSON or YAML object');
  return type.endsWith('yaml') ? decodeYaml(text) : decodeJson(text);
}

function decodeJson(text: string): Decoded {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(err as Error).message}`);
  }
  return { value, duplicates: jsonDuplicates(text) };
}

function decodeYaml(text: string): Decoded {
  const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false });
  if (doc.errors.length > 0) throw badRequest(`error converting YAML to JSON: yaml: ${doc.errors[0]!.message}`);
  const duplicates: string[] = [];
  yamlDuplicates(doc.contents, '', duplicates);
  let value: unknown;
  try {
    // Unresolved aliases (`*x` with no `&x`) and alias bombs surface only here.
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw badRequest(`error converting YAML to JSON: yaml: ${(err as Error).message}`);
  }
  return { value, duplicates };
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function yamlDuplicates(node: YamlNode | null, path: string, out: string[]): void {
  if (isMap(node)) {
    const seen = new Set<string>();
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const p = join(path, key);
      if (seen.has(key)) out.push(p);
      seen.add(key);
      yamlDuplicates(pair.value as YamlNode | null, p, out);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => yamlDuplicates(item as YamlNode | null, `${path}[${i}]`, out));
  }
}

/**
 * Paths of duplicate object keys in a JSON text already known to parse. A small scanner: it
 * tracks the key path through objects and arrays and skips over scalar values.
 */
export function jsonDuplicates(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const str = (): string => {
    const start = i;
    let escaped = false;
    i++;
    while (text[i] !== '"') {
      if (text[i] === '\\') {
        escaped = true;
        i++;
      }
      i++;
    }
    i++;
    return escaped ? (JSON.parse(text.slice(start, i)) as string) : text.slice(start + 1, i - 1);
  };
  const value = (path: string): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const seen = new Set<string>();
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        const key = str();
        const p = join(path, key);
        if (seen.has(key)) out.push(p);
        seen.add(key);
        ws();
        i++; // ':'
        value(p);
        ws();
        if (text[i++] === '}') return;
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (let n = 0; ; n++) {
        value(`${path}[${n}]`);
        ws();
        if (text[i++] === ']') return;
      }
    } else if (c === '"') str();
    else while (i < text.length && !',}] \t\n\r'.includes(text[i]!)) i++;
  };
  value('');
  return out;
}
