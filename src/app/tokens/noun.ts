/** "Access token" → "access token", "ID token" → "ID token": a heading label for use inside a sentence. */
export function inSentence(label: string): string {
  if (/^[A-Z]{2}/.test(label)) return label;
  return label.charAt(0).toLowerCase() + label.slice(1);
}
