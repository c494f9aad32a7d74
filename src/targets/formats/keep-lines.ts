/**
 * A document API re-prints the whole file; the lines an edit did not touch must keep their
 * bytes (`model: gpt-4o   # my model` must not become `model: gpt-4o # my model`). Lines of
 * the new text that match a line of the old one — same indentation, same text once runs of
 * spaces are collapsed — are taken from the old text, aligned by a longest common
 * subsequence so a repeated line (`enabled: true`) maps to its own place. The caller parses
 * the result and checks it (verify), so a wrong match can only refuse a write, not corrupt one.
 */
export function keepUntouchedLines(before: string, after: string): string {
  const a = before.split('\n');
  const b = after.split('\n');
  // Config files are small; past this size the re-printed text stands as it is.
  if (a.length * b.length > 4_000_000) return after;
  const key = (line: string) => {
    const indent = /^[ \t]*/.exec(line)![0];
    return `${indent}${line
      .slice(indent.length)
      .replace(/[ \t]+/g, ' ')
      .trimEnd()}`;
  };
  const ka = a.map(key);
  const kb = b.map(key);
  // lcs[i][j]: the longest common run of a[i..] and b[j..].
  const lcs = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lcs[i]![j] = ka[i] === kb[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (j < b.length) {
    if (i < a.length && ka[i] === kb[j]) {
      out.push(a[i++]!);
      j++;
    } else if (i < a.length && lcs[i + 1]![j]! >= lcs[i]![j + 1]!) i++;
    else out.push(b[j++]!);
  }
  return out.join('\n');
}
