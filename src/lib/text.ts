// Small checks on text people type.

/** True when the text holds a control character (line breaks, NUL, escape, DEL …). */
export function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
