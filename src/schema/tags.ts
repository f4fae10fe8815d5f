/**
 * Federation `@tag`s the schema applies, for routers' contract variants (Apollo's contracts, Hive's
 * and Cosmo's schema contracts): a variant built with `exclude: [INTERNAL_TAG]` serves the graph
 * without what only operators use. docs/contract.md §6 lists what carries each tag.
 */
export const INTERNAL_TAG = 'internal';
