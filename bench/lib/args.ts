/** `--key value` / `--key=value` flags for the bench scripts (each script is its own composition root). */

export type Flags = Record<string, string>;

export function parseFlags(argv: readonly string[], known: Readonly<Record<string, string>>): Flags {
  const out: Flags = { ...known };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${JSON.stringify(a)}`);
    const eq = a.indexOf('=');
    const key = eq >= 0 ? a.slice(2, eq) : a.slice(2);
    if (!(key in known)) throw new Error(`unknown flag --${key}; known: ${Object.keys(known).map((k) => `--${k}`).join(' ')}`);
    const v = eq >= 0 ? a.slice(eq + 1) : argv[++i];
    if (v === undefined) throw new Error(`--${key}: expected a value`);
    out[key] = v;
  }
  return out;
}

export function num(flags: Flags, key: string): number {
  const n = Number(flags[key]);
  if (flags[key] === '' || !Number.isFinite(n)) throw new Error(`--${key}: got ${JSON.stringify(flags[key])}, expected a number`);
  return n;
}

/** The server pid to meter, or undefined when --pid is empty. */
export function pidOf(flags: Flags): number | undefined {
  return flags.pid ? num(flags, 'pid') : undefined;
}
