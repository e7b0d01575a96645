/** Control, bidirectional and invisible characters that could rewrite or hide what a terminal shows. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/**
 * A configuration value as it may be printed to a terminal: control characters (an ESC starting
 * an escape sequence, a carriage return) and bidirectional or invisible marks shown as `\uXXXX`,
 * so a configuration file cannot rewrite or hide the start-up banner.
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
