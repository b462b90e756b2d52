/**
 * Secrets registered at start-up; any occurrence in text is replaced before logging or rethrowing.
 * Both the raw and the URL-encoded forms are registered, since keys travel inside query strings.
 */
const knownSecrets = new Set<string>();

export function registerSecret(secret: string | undefined): void {
  if (!secret || secret.length < 4) return;
  const forms = new Set<string>([secret]);
  try {
    const decoded = decodeURIComponent(secret);
    forms.add(decoded);
    forms.add(encodeURIComponent(decoded));
    forms.add(encodeURIComponent(encodeURIComponent(decoded)));
  } catch {
    forms.add(encodeURIComponent(secret));
  }
  for (const form of forms) knownSecrets.add(form);
}

/** Query parameters that carry credentials in the public APIs this service calls. */
const secretQueryParameter = /([?&](?:serviceKey|ServiceKey|authKey|apiKey|key)=)[^&#\s'"]*/g;

/** Replaces registered secrets and credential query parameters in a string. */
export function redactText(text: string): string {
  let result = text.replace(secretQueryParameter, '$1[redacted]');
  // Longest first, so an encoded form is not left half-replaced by a shorter one.
  const secrets = [...knownSecrets].sort((left, right) => right.length - left.length);
  for (const secret of secrets) result = result.split(secret).join('[redacted]');
  return result;
}
