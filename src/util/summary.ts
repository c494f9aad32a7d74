/** Terraform's three counts: what a plan (or an apply) adds, changes and removes. */
export interface ChangeSummary {
  add: number;
  change: number;
  remove: number;
}

/** The counts of several targets added up. */
export function totalSummary(items: readonly { readonly summary: Readonly<ChangeSummary> }[]): ChangeSummary {
  const total = { add: 0, change: 0, remove: 0 };
  for (const { summary } of items) {
    total.add += summary.add;
    total.change += summary.change;
    total.remove += summary.remove;
  }
  return total;
}
