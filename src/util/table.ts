/**
 * Rows as aligned columns, two spaces apart, the header first; trailing spaces trimmed (the
 * last column is never padded). Cells are printed as given: make server text `visible` first.
 */
export function renderColumns(rows: readonly (readonly string[])[]): string {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
