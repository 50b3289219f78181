/** Process entry (the `bin/kserve-ts.js` launcher runs the compiled copy of this file's main). */
import { main } from './main.ts';

main(process.argv.slice(2), process.env).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
