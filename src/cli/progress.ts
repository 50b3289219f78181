/**
 * Progress while waiting: on a terminal one line rewritten in place (`\r` + erase line); anywhere
 * else (a pipe, a log file, CI) one plain line per change, so logs stay readable. Repeats of the
 * same text are dropped.
 */
export interface Progress {
  update(text: string): void;
  /** Ends the rewritten line (TTY) so later output starts on a fresh one; idempotent. */
  done(): void;
}

export function createProgress(out: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }): Progress {
  const tty = out.isTTY === true;
  let last: string | undefined;
  let open = false;
  return {
    update(text) {
      if (text === last) return;
      last = text;
      if (tty) {
        // A line wider than the terminal wraps, and `\r` would then rewrite only its last row.
        const width = out.columns ?? 0;
        const shown = withBar(text);
        out.write(`\r\x1b[2K${width > 1 && shown.length >= width ? `${shown.slice(0, width - 2)}…` : shown}`);
        open = true;
      } else out.write(`${text}\n`);
    },
    done() {
      if (open) out.write('\n');
      open = false;
    },
  };
}

/**
 * On a terminal, a download's percentage also as a bar: `Downloading s3://b/m: 45% (...)` →
 * `Downloading s3://b/m: [█████████···········] 45% (...)`.
 */
export function withBar(text: string): string {
  return text.replace(/(Downloading [^:]+(?::\/\/[^:]*)?: )(\d{1,3})% /, (_m, head: string, pct: string) => {
    const filled = Math.max(0, Math.min(20, Math.round((Number(pct) / 100) * 20)));
    return `${head}[${'█'.repeat(filled)}${'·'.repeat(20 - filled)}] ${pct}% `;
  });
}

interface IsvcLike {
  metadata?: { name?: string };
  status?: {
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
    modelStatus?: {
      transitionStatus?: string;
      states?: { activeModelState?: string; targetModelState?: string };
      copies?: { failedCopies?: number; totalCopies?: number };
      lastFailureInfo?: { reason?: string; message?: string };
    };
  };
}

/**
 * One line describing where an InferenceService stands, e.g.
 * `isvc/iris: model Loading (target Loaded), copies 0/1 failed; PredictorReady=False (RevisionMissing: ...)`.
 */
export function isvcProgressLine(obj: IsvcLike, condition = 'Ready'): string {
  const parts: string[] = [];
  const ms = obj.status?.modelStatus;
  const states = ms?.states;
  if (states?.activeModelState || states?.targetModelState) {
    const active = states.activeModelState || 'Pending';
    parts.push(`model ${active}${states.targetModelState && states.targetModelState !== active ? ` (target ${states.targetModelState})` : ''}`);
  } else parts.push('model Pending');
  if (ms?.copies?.totalCopies !== undefined) parts.push(`replicas ${ms.copies.totalCopies}${ms.copies.failedCopies ? ` (${ms.copies.failedCopies} failed)` : ''}`);
  const conds = obj.status?.conditions ?? [];
  const target = conds.find((c) => c.type === condition);
  // The first condition that is not True says what is missing (PredictorReady before Ready).
  const blocking = conds.find((c) => c.status !== 'True' && c.type !== condition && (c.reason || c.message)) ?? target;
  if (target) parts.push(`${condition}=${target.status}`);
  if (blocking && blocking.status !== 'True' && (blocking.reason || blocking.message)) parts.push(`${blocking.type}: ${[blocking.reason, blocking.message].filter(Boolean).join(': ')}`);
  return `isvc/${obj.metadata?.name ?? '?'}: ${parts.join(', ')}`;
}
