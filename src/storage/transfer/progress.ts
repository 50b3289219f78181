/**
 * Progress for a multi-file download: counts bytes and files, calls `onProgress` at most every
 * 100 ms and once at the end (`finish`). A retried file that restarts from zero subtracts what it
 * had written, so `bytes` never overstates what is on disk.
 */
import type { Progress, StorageContext } from '../provider.ts';

export class ProgressTracker {
  private bytes = 0;
  private files = 0;
  private last = -Infinity;
  constructor(
    private readonly ctx: StorageContext,
    private readonly totals: { totalBytes?: number; totalFiles?: number },
    private readonly now: () => number = Date.now,
  ) {}
  addBytes(n: number): void {
    this.bytes += n;
    const t = this.now();
    if (t - this.last >= 100) {
      this.last = t;
      this.emit();
    }
  }
  fileDone(): void {
    this.files++;
  }
  finish(): void {
    this.emit();
  }
  private emit(): void {
    if (!this.ctx.onProgress) return;
    const p: Progress = { bytes: this.bytes, files: this.files };
    if (this.totals.totalBytes !== undefined) p.totalBytes = this.totals.totalBytes;
    if (this.totals.totalFiles !== undefined) p.totalFiles = this.totals.totalFiles;
    this.ctx.onProgress(p);
  }
}
