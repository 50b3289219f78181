/** Where the shared test fixtures are: ../shared/fixtures beside the repository (or shared/ inside it). Test-only. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The fixture folder `kind` (onnx, xgboost, lightgbm, pmml, ...); throws naming the places tried. */
export function sharedFixturesDir(kind: string): string {
  const repo = fileURLToPath(new URL('../../../', import.meta.url));
  const tried = [join(repo, 'shared/fixtures', kind), join(repo, '../shared/fixtures', kind)];
  const found = tried.find((p) => existsSync(p));
  if (!found) throw new Error(`${kind} fixtures not found; tried ${tried.join(', ')}`);
  return found;
}
