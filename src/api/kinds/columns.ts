/**
 * Printer columns shared by several kinds (KServe's `+kubebuilder:printcolumn` markers). The API
 * server adds NAME (and NAMESPACE with -A) itself, as it does for every CRD.
 */
import type { PrinterColumn } from '../registry.ts';

/** A priority-0 printer column. */
export function column(name: string, jsonPath: string, type: PrinterColumn['type'] = 'string'): PrinterColumn {
  return { name, type, jsonPath };
}

/** AGE, from creationTimestamp. */
export const AGE_COLUMN: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };

/** URL and Ready, then Age: InferenceGraph and TrainedModel show exactly these. */
export function urlReadyAgeColumns(): PrinterColumn[] {
  return [column('URL', '.status.url'), column('Ready', ".status.conditions[?(@.type=='Ready')].status"), { ...AGE_COLUMN }];
}
