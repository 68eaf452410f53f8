/** Deepest nesting any API body needs (feedback and filters are 3 levels); hostile bodies go far deeper. */
export const MAX_JSON_DEPTH = 16;

/**
 * How deeply arrays and objects nest in a JSON text, counted without parsing (brackets inside
 * strings do not count), so a hostile body is refused before the parser walks it.
 *
 * @example
 * jsonDepth('{"a":[1,{"b":"]]"}]}'); // 3
 */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === 0x5c)
        index += 1; // backslash: skip the escaped character
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) {
      inString = true;
    } else if (char === 0x7b || char === 0x5b) {
      depth += 1;
      if (depth > deepest) deepest = depth;
    } else if (char === 0x7d || char === 0x5d) {
      depth -= 1;
    }
  }
  return deepest;
}
