/**
 * Returns the data.go.kr service key percent-encoded exactly once. The portal shows each key in
 * two forms, encoded ("%2B", "%2F", "%3D") and decoded ("+", "/", "="), and both give the same
 * result because a key containing percent-escapes is decoded before it is encoded.
 */
export function encodeServiceKey(key: string): string {
  const trimmed = key.trim();
  let decoded = trimmed;
  if (/%[0-9A-Fa-f]{2}/.test(trimmed)) {
    try {
      decoded = decodeURIComponent(trimmed);
    } catch {
      throw new Error('invalid DATA_GO_KR_SERVICE_KEY: it contains "%" that is not a valid percent-escape; copy the key again from data.go.kr');
    }
  }
  return encodeURIComponent(decoded);
}

/**
 * Builds a query string from parameters that are not yet encoded. `encodedPrefix` (such as
 * "serviceKey=...") is put first as given, because the key is encoded separately.
 */
export function buildQuery(parameters: Record<string, string | number>, encodedPrefix?: string): string {
  const parts = encodedPrefix ? [encodedPrefix] : [];
  for (const [name, value] of Object.entries(parameters)) {
    parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`);
  }
  return parts.join('&');
}

/** Joins a base URL and a path without doubling or dropping the slash between them. */
export function joinUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
