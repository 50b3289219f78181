/**
 * fetch() with StorageError mapping, shared by the REST providers (GCS, Hugging Face): network
 * failures become `Unreachable`, statuses map in one place (`statusError`). Messages name the
 * display URI and never a header, token or query secret.
 */
import { StorageError, type StorageFailure } from '../provider.ts';
import { abortedError } from './retry.ts';

/** The one status → reason mapping of the REST providers. */
export function reasonForStatus(status: number): StorageFailure {
  if (status === 404 || status === 410) return 'NotFound';
  if (status === 401 || status === 403) return 'Forbidden';
  if (status === 400 || status === 422) return 'InvalidUri';
  return 'Unreachable'; // 408, 429, 5xx and anything unexpected: transient, retried
}

export function statusError(status: number, what: string, hint = ''): StorageError {
  const reason = reasonForStatus(status);
  const text =
    reason === 'NotFound' ? 'not found' : reason === 'Forbidden' ? 'access denied (check the credentials)' : reason === 'InvalidUri' ? 'rejected as invalid' : 'server error';
  return new StorageError(reason, `${what}: ${text} (HTTP ${status})${hint ? `; ${hint}` : ''}`);
}

/** fetch that throws StorageError for network failures and aborts; the caller checks the status. */
export async function fetchOrThrow(url: string, init: RequestInit, what: string, signal?: AbortSignal): Promise<Response> {
  try {
    return await fetch(url, { ...init, signal, redirect: 'follow' });
  } catch (err) {
    if (signal?.aborted) throw abortedError();
    const code = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
    throw new StorageError('Unreachable', `${what}: cannot connect (${code})`, { cause: err });
  }
}

/** A JSON GET that maps statuses; `hint` is added to NotFound/Forbidden messages. */
export async function getJson<T>(url: string, headers: Record<string, string>, what: string, signal?: AbortSignal, hint?: (res: Response) => string): Promise<T> {
  const res = await fetchOrThrow(url, { headers }, what, signal);
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    throw statusError(res.status, what, hint?.(res));
  }
  try {
    return (await res.json()) as T;
  } catch (err) {
    throw new StorageError('Interrupted', `${what}: the response was cut or is not JSON`, { cause: err });
  }
}
