/** The five bag tables, their parents, and whether their bags live in herbline-only locations. */
export const MTP_MATERIALS = [
  { material: 'tealine', parent: 'tealine', herbline: false },
  { material: 'blendsheet', parent: 'blendsheet_batch', herbline: false },
  { material: 'flavorsheet', parent: 'flavorsheet_batch', herbline: false },
  { material: 'herbline', parent: 'herbline', herbline: true },
  { material: 'blendbalance', parent: 'blendbalance', herbline: false },
] as const;
