/**
 * Printer columns shared by several kinds (KServe's `+kubebuilder:printcolumn` markers). The API
 * server adds NAME (and NAMESPACE with -A) itself, as it does for every CRD.
 */
import type { PrinterColumn } from '../registry.ts';

/** AGE, from creationTimestamp. */
export const AGE_COLUMN: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };

/** URL and Ready, then Age: InferenceGraph and TrainedModel show exactly these. */
export function urlReadyAgeColumns(): PrinterColumn[] {
  return [
    { name: 'URL', type: 'string', jsonPath: '.status.url' },
    { name: 'Ready', type: 'string', jsonPath: ".status.conditions[?(@.type=='Ready')].status" },
    { ...AGE_COLUMN },
  ];
}
